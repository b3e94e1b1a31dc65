import { IConstruct } from 'constructs';
import { StartupGate } from '../../constructs/startup-gate';
import { declarationError, show } from '../errors';
import { supportsNativeSidecars } from '../rules/kubelet-rules';
import { atLeast, formatVersion, KubernetesVersion, requireKubernetesVersion } from '../rules/kubernetes-version';

/**
 * Context key that sets the Kubernetes version for a whole app.
 * @internal
 */
export const KUBERNETES_VERSION_CONTEXT = 'sidecar-first:kubernetesVersion';

/**
 * Environment variable that sets the Kubernetes version for a whole process:
 * cdk8s-cli passes its environment to the app it runs, and reads no
 * app-wide settings of its own from cdk8s.yaml.
 * @internal
 */
export const KUBERNETES_VERSION_ENV = 'SIDECAR_FIRST_KUBERNETES_VERSION';

/**
 * The gate and target version a construct compiles for.
 * @internal
 */
export interface GateChoice {
  readonly gate: StartupGate;
  readonly version?: KubernetesVersion;
}

/**
 * The Kubernetes version a construct targets, and the field it came from: its own `kubernetesVersion`,
 * else the context key (set in code, on the app or any construct above this
 * one), else the environment variable (one value for the whole process). The
 * narrower the scope it was set for, the more it knows about this workload's
 * cluster.
 * @internal
 */
export function targetVersion(scope: IConstruct, explicitVersion?: string): { readonly version?: KubernetesVersion; readonly field: string } {
  const fromContext = scope.node.tryGetContext(KUBERNETES_VERSION_CONTEXT);
  // An empty variable is an unset one, as shells treat it.
  const fromEnv = process.env[KUBERNETES_VERSION_ENV] || undefined;
  const [text, field] = explicitVersion !== undefined ? [explicitVersion, 'kubernetesVersion']
    : fromContext !== undefined ? [fromContext, `context "${KUBERNETES_VERSION_CONTEXT}"`]
      : [fromEnv, `environment variable ${KUBERNETES_VERSION_ENV}`];
  return { version: text === undefined ? undefined : requireKubernetesVersion(scope.node.path, field, text), field };
}

/**
 * An explicit gate wins (but STARTUP_PROBE below 1.28 is an error); else the
 * version decides (native sidecars from 1.29); with no version at all,
 * STARTUP_PROBE.
 *
 * The version: targetVersion's.
 * @internal
 */
export function chooseGate(scope: IConstruct, explicitVersion?: string, explicitGate?: StartupGate): GateChoice {
  if (explicitGate !== undefined && !Object.values(StartupGate).includes(explicitGate)) {
    throw declarationError(scope.node.path, 'startupGate', `is ${show(explicitGate)}, which is not a StartupGate`,
      'Use StartupGate.STARTUP_PROBE or StartupGate.POST_START (the strings "STARTUP_PROBE" or "POST_START"), or leave it out to choose from kubernetesVersion');
  }
  const { version } = targetVersion(scope, explicitVersion);
  if (explicitGate === StartupGate.STARTUP_PROBE && version && !atLeast(version, 1, 28)) {
    throw declarationError(scope.node.path, 'startupGate', `is STARTUP_PROBE, but Kubernetes ${formatVersion(version)} has no native sidecars (they need 1.29, or 1.28 with the SidecarContainers feature gate)`,
      'Use StartupGate.POST_START, or leave startupGate unset to choose from the version');
  }
  const gate = explicitGate ?? (version && !supportsNativeSidecars(version) ? StartupGate.POST_START : StartupGate.STARTUP_PROBE);
  return { gate, version };
}
