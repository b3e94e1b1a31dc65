import { Gate, IfCheckNeverPasses, Placement, Severity, StartsBeforeApp } from '../../src';
import { findSidecars, judgeSidecar, ManifestPodSpec, SidecarVerdict } from '../../src/private/rules/kubelet-rules';
import { KubernetesVersion } from '../../src/private/rules/kubernetes-version';

/** What the kubelet rules say of each sidecar of a pod, by name; without the notes on what depends on the version (info). */
export function verdicts(pod: ManifestPodSpec, version?: KubernetesVersion): { [name: string]: SidecarVerdict } {
  const sidecars = findSidecars(pod);
  return Object.fromEntries(sidecars.map(name => {
    const verdict = judgeSidecar(pod, name, sidecars, version);
    return [name, { ...verdict, findings: verdict.findings.filter(f => f.severity !== Severity.INFO) }];
  }));
}

/** The verdict the compiler must earn for every declared sidecar under the STARTUP_PROBE gate. */
export function nativeGated(name: string): SidecarVerdict {
  return {
    name,
    placement: Placement.NATIVE,
    gate: Gate.STARTUP_PROBE,
    startsBeforeApp: StartsBeforeApp.YES,
    appWaitsForReady: true,
    ifCheckNeverPasses: IfCheckNeverPasses.APP_NEVER_STARTS,
    findings: [],
  };
}

/**
 * The verdict the compiler must earn for every declared sidecar under the POST_START gate;
 * in a Job, with the S3 warning (the sidecar's jobExit cannot show in the manifest).
 */
export function legacyGated(name: string, inJob = false): SidecarVerdict {
  return {
    name,
    placement: Placement.LEGACY,
    gate: Gate.POST_START,
    startsBeforeApp: StartsBeforeApp.YES,
    appWaitsForReady: true,
    ifCheckNeverPasses: IfCheckNeverPasses.APP_STARTS_ANYWAY,
    findings: inJob ? [{ id: 'SF205', severity: Severity.WARNING, rule: 'S3', message: 'in spec.containers of a pod with restartPolicy Never: the pod (and its Job) runs until this sidecar exits, so it must exit when the app is done' }] : [],
  };
}
