import { findSidecars, judgeSidecar, ManifestPodSpec, SidecarVerdict } from '../../src/private/rules/kubelet-rules';
import { KubernetesVersion } from '../../src/private/rules/kubernetes-version';

/** What the kubelet rules say of each sidecar of a pod, by name. */
export function verdicts(pod: ManifestPodSpec, version?: KubernetesVersion): { [name: string]: SidecarVerdict } {
  const sidecars = findSidecars(pod);
  return Object.fromEntries(sidecars.map(name => [name, judgeSidecar(pod, name, sidecars, version)]));
}

/** The verdict the compiler must earn for every declared sidecar under the STARTUP_PROBE gate. */
export function nativeGated(name: string): SidecarVerdict {
  return {
    name,
    placement: 'native',
    gate: 'startupProbe',
    startsBeforeApp: 'yes',
    appWaitsForReady: true,
    ifCheckNeverPasses: 'app-never-starts',
    findings: [],
  };
}

/** The verdict the compiler must earn for every declared sidecar under the POST_START gate. */
export function legacyGated(name: string): SidecarVerdict {
  return {
    name,
    placement: 'legacy',
    gate: 'postStart',
    startsBeforeApp: 'yes',
    appWaitsForReady: true,
    ifCheckNeverPasses: 'app-starts-anyway',
    findings: [],
  };
}
