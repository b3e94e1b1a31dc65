import * as kplus from 'cdk8s-plus-28';
import { readinessProbe, startupProbe } from './probes';
import { WAIT_TOOL_BUSYBOX, WAIT_TOOL_DIR, waitHookCommand } from './wait-hook';
import { StartupGate } from '../../constructs/startup-gate';
import { assertContainerNames, NamedContainer, podContainerNames } from '../declare/container-names';
import { DeclaredDependentInit, DeclaredSidecar } from '../declare/declare-sidecar';
import { startOrder } from '../declare/start-order';
import { declarationError, kplusError, show, sidecarLocation } from '../errors';
import { supportsNativeSidecars } from '../rules/kubelet-rules';
import { atLeast, KubernetesVersion } from '../rules/kubernetes-version';
import { JOB_EXIT_ANNOTATION } from '../rules/pod-template';

type Container = kplus.k8s.Container;
type Volume = kplus.k8s.Volume;

/**
 * What the user declared for one pod, validated.
 * @internal
 */
export interface PodDeclaration {
  /** Construct path, for messages. */
  readonly path: string;
  /** In declaration order. */
  readonly sidecars: readonly DeclaredSidecar[];
  readonly dependentInits: readonly DeclaredDependentInit[];
  readonly gate: StartupGate;
  /** The target Kubernetes version, when known. */
  readonly version?: KubernetesVersion;
  /** Poll interval of the POST_START wait hooks. */
  readonly pollIntervalMs: number;
  /** Image with a static busybox for the POST_START wait hooks, if any. */
  readonly waitToolImage?: string;
  /**
   * Whether the output can carry the lifecycle `sleep` action. cdk8s-plus-28's
   * generated types (Kubernetes 1.28) cannot: its serializer drops the field.
   */
  readonly canSleepAction: boolean;
  /**
   * The cdk8s-plus-28 container of each sidecar, by name: the handle
   * `addSidecar()` returned, rendered at synthesis so later changes count.
   */
  readonly handles: ReadonlyMap<string, kplus.Container>;
  /** `jobExit` of each sidecar that has one, by name. */
  readonly jobExits: ReadonlyMap<string, string>;
  /**
   * Whether the library's containers keep cdk8s-plus's defaults (resources,
   * security context, imagePullPolicy). Only for the SidecarFirst* constructs,
   * whose own containers have them too; never for someone else's object.
   */
  readonly kplusDefaults: boolean;
}

/**
 * What the pod needs, as the user's pod spec sees it: one shape the two
 * emitters (a cdk8s-plus pod spec, or JSON patches) write out.
 * @internal
 */
export interface PodPlan {
  /** Init containers that go before the user's own. */
  readonly initBefore: Container[];
  /** Init containers that go after the user's own. */
  readonly initAfter: Container[];
  /** Containers that go before the app containers. */
  readonly containersBefore: Container[];
  /** Volumes the pod must have. */
  readonly volumes: Volume[];
  /** Pod template annotations, each written only where the pod does not set it already. */
  readonly annotations: { readonly [key: string]: string };
}

/**
 * The names and grace period of the pod the plan is for.
 * @internal
 */
export interface AppPod {
  readonly initContainers: readonly string[];
  readonly containers: readonly string[];
  readonly terminationGracePeriodSeconds?: number;
  /** The pod's volume names, where known (at synthesis). */
  readonly volumes?: readonly string[];
}

/**
 * Name of the init container and of the volume that bring `waitToolImage`'s busybox.
 */
const WAIT_TOOLS = 'sidecar-first-wait-tools';

/**
 * Names the container `kubectl logs` and `kubectl exec` default to: under
 * POST_START the first container is a sidecar, so it names the first app container.
 * @see https://kubernetes.io/docs/reference/labels-annotations-taints/#kubectl-kubernetes-io-default-container
 * @internal
 */
export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';


/** The API server's default `terminationGracePeriodSeconds`. */
const DEFAULT_GRACE_SECONDS = 30;

/**
 * The compiler: a pure function from the app's pod and the declared sidecars
 * to what the pod needs so that the kubelet starts the app only once they are
 * ready. App containers and the user's init containers are never changed.
 *
 * - STARTUP_PROBE: each sidecar becomes a native sidecar (an init container
 *   with `restartPolicy: Always`) whose startupProbe is the readiness check,
 *   after the user's init containers, in start order. The kubelet starts
 *   nothing after it until the check passes (docs/kubelet-semantics.md R1, R3).
 * - POST_START: each sidecar becomes a regular container, before the app
 *   containers, with a postStart hook that polls the check. The kubelet starts
 *   the next container only when the hook returns (R4, R5).
 * @internal
 */
export function planPod(app: AppPod, pod: PodDeclaration): PodPlan {
  const tools = pod.gate === StartupGate.POST_START ? pod.waitToolImage : undefined;
  assertContainerNames(pod.path, [
    ...(tools ? [[WAIT_TOOLS, 'waitToolImage\'s init container'] as NamedContainer] : []),
    ...podContainerNames(pod.sidecars.map(s => s.name), app.initContainers, app.containers, pod.dependentInits.map(i => i.name)),
  ]);
  const grace = app.terminationGracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  for (const s of pod.sidecars) {
    if (s.drainSeconds !== undefined && s.drainSeconds > grace) {
      throw declarationError(sidecarLocation(pod.path, s.name), 'drainTime', `is ${s.drainSeconds} s, longer than the pod's terminationGracePeriod (${grace} s)`,
        `Shorten drainTime, or raise terminationGracePeriod to at least Duration.seconds(${s.drainSeconds}): the kubelet kills the sidecar at the end of the grace period`);
    }
  }
  const steps = startOrder(pod.path, pod.sidecars, pod.dependentInits);
  const volumes: Volume[] = tools ? [{ name: WAIT_TOOLS, emptyDir: {} }] : [];
  const render = (impl: kplus.Container, props: kplus.ContainerProps, where: string) => {
    let container: Container;
    try {
      // cdk8s-plus renders every ContainerProps field the same way as for the app.
      volumes.push(...impl.mounts.map(m => m.volume._toKube()));
      container = impl._toKube();
    } catch (e) {
      // A JavaScript caller's field of the wrong type (readiness: 'x') surfaces only here.
      throw kplusError(where, 'the container', e);
    }
    return pod.kplusDefaults ? container : withoutKplusDefaults(container, props);
  };
  const drain = (s: DeclaredSidecar) => drainHook(s, pod, tools !== undefined);
  const podVolumes = new Set([
    ...app.volumes ?? [],
    ...[...pod.handles.values()].flatMap(h => h.mounts.map(m => m.volume.name)),
    ...pod.dependentInits.flatMap(i => (i.container.volumeMounts ?? []).map(m => m.volume.name)),
  ]);
  const sidecar = (s: DeclaredSidecar) =>
    withAppVolumes(pod.path, render(pod.handles.get(s.name)!, s.container, sidecarLocation(pod.path, s.name)), s, podVolumes);
  const annotations = planAnnotations(app, pod);
  if (pod.gate === StartupGate.STARTUP_PROBE) {
    const initAfter = steps.map(step => step.sidecar
      ? nativeSidecar(sidecar(step.sidecar), step.sidecar, drain(step.sidecar))
      // An ordinary init container: cdk8s-plus's implicit TCP startupProbe (on portNumber) is rejected there.
      : { ...render(initContainer(pod.path, step.init), step.init.container, `${pod.path}: init container "${step.init.name}"`), startupProbe: undefined });
    return { initBefore: [], initAfter, containersBefore: [], volumes, annotations };
  }
  const containersBefore = steps.map(step =>
    legacySidecar(sidecar(step.sidecar!), step.sidecar!, pod.pollIntervalMs, tools !== undefined, drain(step.sidecar!)));
  return { initBefore: tools ? [waitToolsInitContainer(tools)] : [], initAfter: [], containersBefore, volumes, annotations };
}

/** cdk8s-plus's container of a dependent init container, or a located error. */
function initContainer(path: string, init: DeclaredDependentInit): kplus.Container {
  try {
    return new kplus.Container(init.container);
  } catch (e) {
    throw kplusError(`${path}: init container "${init.name}"`, 'the container', e);
  }
}

/** Mounts the pod's own volumes that the sidecar names (`appVolumeMounts`), each of which must exist. */
function withAppVolumes(path: string, container: Container, sidecar: DeclaredSidecar, podVolumes: ReadonlySet<string>): Container {
  if (sidecar.appVolumeMounts.length === 0) {
    return container;
  }
  const where = sidecarLocation(path, sidecar.name);
  const mounts = [...container.volumeMounts ?? []];
  for (const m of sidecar.appVolumeMounts) {
    if (!podVolumes.has(m.volume)) {
      throw declarationError(where, 'appVolumeMounts volume', `${show(m.volume)} is not a volume of the pod (it has ${podVolumes.size > 0 ? [...podVolumes].map(v => show(v)).join(', ') : 'none'})`,
        'Name a volume the workload declares (its Volume\'s name, as in spec.volumes), or add the volume to the workload before synthesis');
    }
    if (mounts.some(other => other.mountPath === m.path)) {
      throw declarationError(where, 'appVolumeMounts path', `${show(m.path)} is already a mount path of this sidecar`,
        'Mount each volume at its own path: the API server rejects two mounts at one path');
    }
    mounts.push({ name: m.volume, mountPath: m.path, readOnly: m.readOnly, subPath: m.subPath });
  }
  return { ...container, volumeMounts: mounts };
}

/** What the pod template must say about its sidecars. */
function planAnnotations(app: AppPod, pod: PodDeclaration): { [key: string]: string } {
  const annotations: { [key: string]: string } = {};
  if (pod.gate === StartupGate.POST_START && pod.sidecars.length > 0) {
    annotations[DEFAULT_CONTAINER_ANNOTATION] = app.containers[0];
  }
  if (pod.jobExits.size > 0) {
    annotations[JOB_EXIT_ANNOTATION] = JSON.stringify(Object.fromEntries(pod.sidecars
      .filter(s => pod.jobExits.has(s.name)).map(s => [s.name, pod.jobExits.get(s.name)])));
  }
  return annotations;
}

/**
 * A container as declared, without what cdk8s-plus adds to every container
 * it renders (1 CPU / 512 MiB requests, a non-root read-only security context,
 * imagePullPolicy Always): someone else's pod gets only what was asked for.
 */
function withoutKplusDefaults(container: Container, props: kplus.ContainerProps): Container {
  return {
    ...container,
    resources: props.resources ? container.resources : undefined,
    securityContext: props.securityContext ? container.securityContext : undefined,
    imagePullPolicy: props.imagePullPolicy ? container.imagePullPolicy : undefined,
  };
}

/**
 * The names and grace period of a pod spec, typed or JSON.
 * @internal
 */
export function appPodOf(spec: {
  containers: Array<{ name: string }>;
  initContainers?: Array<{ name: string }>;
  terminationGracePeriodSeconds?: number;
  volumes?: Array<{ name: string }>;
}): AppPod {
  return {
    initContainers: (spec.initContainers ?? []).map(c => c.name),
    containers: spec.containers.map(c => c.name),
    terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
    volumes: Array.isArray(spec.volumes) ? spec.volumes.map(v => v?.name) : undefined,
  };
}

function nativeSidecar(container: Container, sidecar: DeclaredSidecar, preStop: kplus.k8s.LifecycleHandler | undefined): Container {
  return {
    ...container,
    restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
    // Replaces cdk8s-plus's implicit TCP startupProbe on portNumber.
    startupProbe: startupProbe(sidecar.check, sidecar.startupTimeoutSeconds),
    readinessProbe: container.readinessProbe ?? readinessProbe(sidecar.check),
    lifecycle: preStop ? { ...container.lifecycle, preStop } : container.lifecycle,
  };
}

function legacySidecar(
  container: Container, sidecar: DeclaredSidecar, pollIntervalMs: number, withTools: boolean, preStop: kplus.k8s.LifecycleHandler | undefined,
): Container {
  const command = waitHookCommand(sidecar.name, sidecar.check, sidecar.startupTimeoutSeconds, pollIntervalMs,
    withTools ? WAIT_TOOL_BUSYBOX : undefined, container.terminationMessagePath);
  return {
    ...container,
    // cdk8s-plus's implicit startupProbe would gate nothing here; the hook is the gate.
    startupProbe: undefined,
    readinessProbe: container.readinessProbe ?? readinessProbe(sidecar.check),
    lifecycle: { ...container.lifecycle, postStart: { exec: { command } }, ...(preStop ? { preStop } : {}) },
    volumeMounts: withTools
      ? [...(container.volumeMounts ?? []), { name: WAIT_TOOLS, mountPath: WAIT_TOOL_DIR, readOnly: true }]
      : container.volumeMounts,
  };
}

/**
 * Keeps a sidecar alive `drainTime` into the pod's shutdown, where the
 * kubelet does not already stop it after the app (S1: native sidecars, 1.29+).
 */
function drainHook(sidecar: DeclaredSidecar, pod: PodDeclaration, withTools: boolean): kplus.k8s.LifecycleHandler | undefined {
  const seconds = sidecar.drainSeconds;
  const outlivesApp = pod.gate === StartupGate.STARTUP_PROBE && (!pod.version || supportsNativeSidecars(pod.version));
  if (seconds === undefined || outlivesApp) {
    return undefined;
  }
  if (pod.canSleepAction && pod.version && atLeast(pod.version, 1, 30)) {
    return { sleep: { seconds } } as kplus.k8s.LifecycleHandler;
  }
  return { exec: { command: [...(withTools ? [WAIT_TOOL_BUSYBOX] : []), 'sleep', String(seconds)] } };
}

/** Copies the static busybox of `image` into the emptyDir the sidecars mount. */
function waitToolsInitContainer(image: string): Container {
  return {
    name: WAIT_TOOLS,
    image,
    command: ['/bin/busybox', 'cp', '/bin/busybox', WAIT_TOOL_BUSYBOX],
    volumeMounts: [{ name: WAIT_TOOLS, mountPath: WAIT_TOOL_DIR }],
    resources: {
      requests: { cpu: kplus.k8s.Quantity.fromString('10m'), memory: kplus.k8s.Quantity.fromString('16Mi') },
      limits: { cpu: kplus.k8s.Quantity.fromString('100m'), memory: kplus.k8s.Quantity.fromString('32Mi') },
    },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: 65534,
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      privileged: false,
    },
  };
}

/**
 * Adds `extra` volumes to `existing` (both in one representation); one name
 * may only ever mean one volume.
 * @internal
 */
export function mergeVolumes<V extends { name: string }>(path: string, existing: readonly V[], extra: readonly V[]): V[] | undefined {
  const byName = new Map<string, V>(existing.map(v => [v.name, v]));
  for (const volume of extra) {
    const known = byName.get(volume.name);
    if (known && canonical(known) !== canonical(volume)) {
      throw declarationError(path, 'volume name', `${show(volume.name)} names two different volumes (one mounted by a sidecar)`,
        'Give each volume its own name, or mount the same Volume object in both containers');
    }
    byName.set(volume.name, volume);
  }
  return byName.size > 0 ? [...byName.values()] : undefined;
}

/** JSON with sorted keys: the same volume, however its keys were ordered. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.keys(v).sort().map(k => [k, v[k]]))
    : v));
}
