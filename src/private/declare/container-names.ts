import { declarationError, show } from '../errors';

/**
 * A container name and where it was declared, for messages.
 * @internal
 */
export type NamedContainer = readonly [name: string, where: string];

/** RFC 1123 label: what a container name (and a volume name) may be (Kubernetes DNS_LABEL). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Whether `name` is a container name the API server accepts: an RFC 1123 label of at most 63 characters.
 * @internal
 */
export function isDnsLabel(name: unknown): name is string {
  return typeof name === 'string' && name.length <= 63 && DNS_LABEL.test(name);
}

/**
 * One message for every container name the API server would reject, the
 * sidecars' and the app's alike.
 * @param where the construct path and the container's place, e.g. `shop/web: containers[0]`
 * @param example a valid name to suggest
 * @internal
 */
export function checkContainerName(where: string, name: unknown, example: string): void {
  if (!isDnsLabel(name)) {
    throw declarationError(where, 'name', `is ${show(name)}, which is not a valid container name`,
      `Use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit (an RFC 1123 label), e.g. '${example}'`);
  }
}

/**
 * A valid container name close to `name`, to suggest in a message: `My_App` -> `my-app`,
 * `äpp` -> `app`, a long name cut at 63 characters.
 */
function labelLike(name: unknown): string {
  if (typeof name !== 'string') {
    return 'app';
  }
  const label = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-').slice(0, 63).replace(/^-+|-+$/g, '');
  return label || 'app';
}

/**
 * Every container name of a pod must be an RFC 1123 label and unique across
 * its containers, init containers and sidecars. The app's containers come
 * from the workload the user built, which cdk8s-plus does not check, so they
 * are checked here, in the sidecars' words. Checked when a sidecar is
 * declared and again at synthesis, because containers can be added after the
 * sidecars.
 * @internal
 */
export function assertContainerNames(path: string, containers: readonly NamedContainer[]): void {
  const seen = new Map<string, string>();
  for (const [name, where] of containers) {
    checkContainerName(`${path}: ${where}`, name, labelLike(name));
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
