import * as kplus from 'cdk8s-plus-28';
import { assertUniqueContainerNames, podContainerNames } from './_container-names';
import { DeclaredSidecar } from './_declare-sidecar';
import { declarationError, show } from './_errors';
import { readinessProbe, startupProbe } from './_probes';

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
}

/**
 * The compiler: a pure function from the app's pod spec (as cdk8s-plus
 * rendered it) and the declared sidecars to the pod spec the kubelet runs.
 *
 * Each sidecar becomes a native sidecar (an init container with
 * `restartPolicy: Always`) whose startupProbe is the readiness check, placed
 * before the user's init containers in declaration order: the kubelet then
 * starts nothing after it until the check has passed (SEMANTICS.md R1, R3).
 * App containers are left exactly as declared.
 * @internal
 */
export function compilePodSpec(app: PodSpec, pod: PodDeclaration): PodSpec {
  assertUniqueContainerNames(pod.path, podContainerNames(
    pod.sidecars.map(s => s.name),
    (app.initContainers ?? []).map(c => c.name),
    app.containers.map(c => c.name),
  ));
  const rendered = pod.sidecars.map(renderSidecar);
  const spec: PodSpec = {
    ...app,
    initContainers: [...rendered.map(r => r.container), ...(app.initContainers ?? [])],
    volumes: mergeVolumes(pod.path, app.volumes ?? [], rendered.flatMap(r => r.volumes)),
  };
  return spec;
}

interface RenderedSidecar {
  readonly container: Container;
  readonly volumes: Volume[];
}

function renderSidecar(sidecar: DeclaredSidecar): RenderedSidecar {
  // cdk8s-plus renders every ContainerProps field the same way as for the app.
  const impl = new kplus.Container(sidecar.container);
  const container = impl._toKube();
  return {
    container: {
      ...container,
      restartPolicy: kplus.ContainerRestartPolicy.ALWAYS,
      // Replaces cdk8s-plus's implicit TCP startupProbe on portNumber.
      startupProbe: startupProbe(sidecar.check, sidecar.startupTimeoutSeconds),
      readinessProbe: container.readinessProbe ?? readinessProbe(sidecar.check),
    },
    volumes: impl.mounts.map(m => m.volume._toKube()),
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
