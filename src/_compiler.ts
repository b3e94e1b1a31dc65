import * as kplus from 'cdk8s-plus-28';
import { assertUniqueContainerNames, podContainerNames } from './_container-names';
import { DeclaredSidecar } from './_declare-sidecar';
import { declarationError, show } from './_errors';
import { readinessProbe, startupProbe } from './_probes';
import { WAIT_TOOL_BUSYBOX, WAIT_TOOL_DIR, waitHookCommand } from './_wait-hook';
import { StartupGate } from './startup-gate';

type PodSpec = kplus.k8s.PodSpec;
type Container = kplus.k8s.Container;
type Volume = kplus.k8s.Volume;

/**
 * What the user declared for one pod, validated.
 * @internal
 */
export interface PodDeclaration {
  /** Construct path, for messages. */
  readonly path: string;
  /** In start-up order. */
  readonly sidecars: readonly DeclaredSidecar[];
  readonly gate: StartupGate;
  /** Poll interval of the POST_START wait hooks. */
  readonly pollIntervalMs: number;
  /** Image with a static busybox for the POST_START wait hooks, if any. */
  readonly waitToolImage?: string;
}

/**
 * Name of the init container and of the volume that bring `waitToolImage`'s busybox.
 * @internal
 */
export const WAIT_TOOLS = 'sidecar-first-wait-tools';

/**
 * The compiler: a pure function from the app's pod spec (as cdk8s-plus
 * rendered it) and the declared sidecars to the pod spec the kubelet runs.
 * App containers and the user's init containers are left exactly as declared.
 *
 * - STARTUP_PROBE: each sidecar becomes a native sidecar (an init container
 *   with `restartPolicy: Always`) whose startupProbe is the readiness check,
 *   before the user's init containers, in declaration order. The kubelet starts
 *   nothing after it until the check passes (SEMANTICS.md R1, R3).
 * - POST_START: each sidecar becomes a regular container, before the app
 *   containers, with a postStart hook that polls the check. The kubelet starts
 *   the next container only when the hook returns (R4, R5).
 * @internal
 */
export function compilePodSpec(app: PodSpec, pod: PodDeclaration): PodSpec {
  const tools = pod.gate === StartupGate.POST_START && pod.waitToolImage !== undefined ? pod.waitToolImage : undefined;
  assertUniqueContainerNames(pod.path, [
    ...(tools ? [[WAIT_TOOLS, 'waitToolImage\'s init container'] as const] : []),
    ...podContainerNames(pod.sidecars.map(s => s.name), (app.initContainers ?? []).map(c => c.name), app.containers.map(c => c.name)),
  ]);
  const rendered = pod.sidecars.map(renderSidecar);
  const volumes = mergeVolumes(pod.path, app.volumes ?? [], [
    ...rendered.flatMap(r => r.volumes),
    ...(tools ? [{ name: WAIT_TOOLS, emptyDir: {} }] : []),
  ]);
  if (pod.gate === StartupGate.STARTUP_PROBE) {
    return {
      ...app,
      initContainers: [...rendered.map(r => nativeSidecar(r.container, r.sidecar)), ...(app.initContainers ?? [])],
      volumes,
    };
  }
  return {
    ...app,
    initContainers: tools ? [waitToolsInitContainer(tools), ...(app.initContainers ?? [])] : app.initContainers,
    containers: [...rendered.map(r => legacySidecar(r.container, r.sidecar, pod.pollIntervalMs, tools !== undefined)), ...app.containers],
    volumes,
  };
}

interface RenderedSidecar {
  readonly sidecar: DeclaredSidecar;
  readonly container: Container;
  readonly volumes: Volume[];
}

function renderSidecar(sidecar: DeclaredSidecar): RenderedSidecar {
  // cdk8s-plus renders every ContainerProps field the same way as for the app.
  const impl = new kplus.Container(sidecar.container);
  return { sidecar, container: impl._toKube(), volumes: impl.mounts.map(m => m.volume._toKube()) };
}

function nativeSidecar(container: Container, sidecar: DeclaredSidecar): Container {
  return {
    ...container,
    restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
    // Replaces cdk8s-plus's implicit TCP startupProbe on portNumber.
    startupProbe: startupProbe(sidecar.check, sidecar.startupTimeoutSeconds),
    readinessProbe: container.readinessProbe ?? readinessProbe(sidecar.check),
  };
}

function legacySidecar(container: Container, sidecar: DeclaredSidecar, pollIntervalMs: number, withTools: boolean): Container {
  const command = waitHookCommand(sidecar.name, sidecar.check, sidecar.startupTimeoutSeconds, pollIntervalMs,
    withTools ? WAIT_TOOL_BUSYBOX : undefined);
  return {
    ...container,
    // cdk8s-plus's implicit startupProbe would gate nothing here; the hook is the gate.
    startupProbe: undefined,
    readinessProbe: container.readinessProbe ?? readinessProbe(sidecar.check),
    lifecycle: { ...container.lifecycle, postStart: { exec: { command } } },
    volumeMounts: withTools
      ? [...(container.volumeMounts ?? []), { name: WAIT_TOOLS, mountPath: WAIT_TOOL_DIR, readOnly: true }]
      : container.volumeMounts,
  };
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

/** Adds the sidecars' volumes; one name may only ever mean one volume. */
function mergeVolumes(path: string, appVolumes: Volume[], sidecarVolumes: Volume[]): Volume[] | undefined {
  const byName = new Map<string, Volume>(appVolumes.map(v => [v.name, v]));
  for (const volume of sidecarVolumes) {
    const existing = byName.get(volume.name);
    if (existing && JSON.stringify(existing) !== JSON.stringify(volume)) {
      throw declarationError(path, 'volume name', `${show(volume.name)} names two different volumes (one mounted by a sidecar)`,
        'Give each volume its own name, or mount the same Volume object in both containers');
    }
    byName.set(volume.name, volume);
  }
  return byName.size > 0 ? [...byName.values()] : undefined;
}
