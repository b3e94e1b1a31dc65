import { declarationError, show } from '../errors';

/**
 * A container name and where it was declared, for messages.
 * @internal
 */
export type NamedContainer = readonly [name: string, where: string];

/**
 * Container names must be unique across a pod's containers, init containers
 * and sidecars. Checked when a sidecar is declared and again at synthesis,
 * because containers can be added after the sidecars.
 * @internal
 */
export function assertUniqueContainerNames(path: string, containers: readonly NamedContainer[]): void {
  const seen = new Map<string, string>();
  for (const [name, where] of containers) {
    const first = seen.get(name);
    if (first) {
      throw declarationError(path, 'container name', `${show(name)} is used twice (${first} and ${where})`,
        'Container names must be unique within a pod (containers, init containers and sidecars); rename one');
    }
    seen.set(name, where);
  }
}

/**
 * Names the containers of a pod: sidecars first, then the pod's own init
 * containers and containers, then the init containers that need sidecars.
 * @internal
 */
export function podContainerNames(
  sidecars: readonly string[],
  initContainers: readonly string[],
  containers: readonly string[],
  dependentInits: readonly string[],
): NamedContainer[] {
  return [
    ...sidecars.map(name => [name, `sidecar ${show(name)}`] as const),
    ...initContainers.map((name, i) => [name, `initContainers[${i}]`] as const),
    ...containers.map((name, i) => [name, `containers[${i}]`] as const),
    ...dependentInits.map(name => [name, `init container ${show(name)}`] as const),
  ];
}
