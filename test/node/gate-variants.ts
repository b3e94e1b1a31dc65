/**
 * The ways a pod can hold its app until a sidecar is ready, compared on real
 * kubelets (issue #22): the library's two gates and three other native-sidecar
 * recipes users asked about. Each pod is the library's own output, or derived
 * from it, so a variant differs from the gate it is compared with only in what
 * it names: the hook is always the one POST_START compiles, the probe always
 * the one STARTUP_PROBE compiles.
 */
import { SidecarFirstPodProps, StartupGate } from '../../src';
import { ManifestContainer, ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { CheckKind, gatedPod } from '../support/node-pods';

export enum GateVariant {
  /** Today's native gate, as synthesized: a native sidecar with a 1 s startupProbe of its readiness check. */
  STARTUP_PROBE = 'STARTUP_PROBE',
  /** Istio's recipe for native sidecars: the same, with Istio's startupProbe numbers (ISTIO_STARTUP_PROBE). */
  ISTIO = 'ISTIO',
  /** A native sidecar held by the POST_START gate's wait hook, without a startupProbe. */
  NATIVE_POST_START = 'NATIVE_POST_START',
  /** The same, with the STARTUP_PROBE gate's startupProbe as well. */
  NATIVE_POST_START_AND_PROBE = 'NATIVE_POST_START_AND_PROBE',
  /** Today's legacy gate, as synthesized: the first regular container, held by its postStart wait hook. */
  POST_START = 'POST_START',
}

export const GATE_VARIANTS = Object.values(GateVariant);

/** Variants made of a native sidecar (restartPolicy Always), which kubelets before 1.29 reject. */
export function isNative(variant: GateVariant): boolean {
  return variant !== GateVariant.POST_START;
}

/**
 * The timing of the startupProbe Istio injects into a native sidecar:
 * istio/istio manifests/charts/istio-control/istio-discovery/files/injection-template.yaml
 * (`startupProbe:` of `istio-proxy`, on its readiness endpoint /healthz/ready; commit
 * 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c), failureThreshold from
 * `global.proxy.startupProbe.failureThreshold` in istio-discovery/values.yaml (600: 10 minutes).
 * Only the timing is Istio's: the handler stays the sidecar's own check, whatever its kind.
 */
export const ISTIO_STARTUP_PROBE = { initialDelaySeconds: 0, periodSeconds: 1, timeoutSeconds: 3, failureThreshold: 600 } as const;

/** The name of the sidecar in node-pods.ts's pods. */
const SIDECAR = 'proxy';

/** The pod of `variant`: a `proxy` sidecar of `kind` ready after `readyAfterMs`, and an `app` (see gatedPod). */
export function variantPod(variant: GateVariant, kind: CheckKind, readyAfterMs: number, pod: Partial<SidecarFirstPodProps> = {}): ManifestPodSpec {
  const native = () => gatedPod(StartupGate.STARTUP_PROBE, kind, readyAfterMs, {}, pod);
  const legacy = () => gatedPod(StartupGate.POST_START, kind, readyAfterMs, {}, pod);
  const gateProbe = () => sidecarOf(native().initContainers ?? []).startupProbe;
  switch (variant) {
    case GateVariant.STARTUP_PROBE:
      return native();
    case GateVariant.ISTIO:
      return withNativeSidecar(native(), c => ({ ...c, startupProbe: { ...c.startupProbe, ...ISTIO_STARTUP_PROBE } }));
    case GateVariant.NATIVE_POST_START:
      return hookOnNativeSidecar(legacy());
    case GateVariant.NATIVE_POST_START_AND_PROBE:
      return withNativeSidecar(hookOnNativeSidecar(legacy()), c => ({ ...c, startupProbe: gateProbe() }));
    case GateVariant.POST_START:
      return legacy();
  }
}

/**
 * POST_START's output with its sidecar made native: the container, hook,
 * mounts and env as compiled, moved after the pod's init containers with
 * restartPolicy Always (the pod's volumes stay as they are). The kubelet runs
 * a container's postStart before it starts the next container, so the hook
 * holds the app as it does in the legacy order.
 */
function hookOnNativeSidecar(spec: ManifestPodSpec): ManifestPodSpec {
  const sidecar = sidecarOf(spec.containers);
  return {
    ...spec,
    initContainers: [...(spec.initContainers ?? []), { ...sidecar, restartPolicy: 'Always' }],
    containers: spec.containers.filter(c => c !== sidecar),
  };
}

/** `spec` with its native sidecar replaced by `change(sidecar)`. */
function withNativeSidecar(spec: ManifestPodSpec, change: (c: ManifestContainer) => ManifestContainer): ManifestPodSpec {
  const inits = spec.initContainers ?? [];
  const sidecar = sidecarOf(inits);
  return { ...spec, initContainers: inits.map(c => (c === sidecar ? change(c) : c)) };
}

function sidecarOf(containers: ManifestContainer[]): ManifestContainer {
  const sidecar = containers.find(c => c.name === SIDECAR);
  if (!sidecar) throw new Error(`no container ${SIDECAR} in ${containers.map(c => c.name).join(', ')}`);
  return sidecar;
}
