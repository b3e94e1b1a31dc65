/**
 * A Kubernetes minor version, e.g. 1.29.
 * @internal
 */
export interface KubernetesVersion {
  readonly major: number;
  readonly minor: number;
  /** The patch release, when given (`1.33.6`): some kubelet fixes came in patches. */
  readonly patch?: number;
}

// `1.28`, `v1.28.3`, `1.28.3-eks-abc`, `v1.29.0+k3s1`: provider suffixes are ignored.
const VERSION = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+][0-9A-Za-z.+-]*)?$/;

/**
 * Parses a Kubernetes version as clusters and providers print it.
 * @returns undefined when it is not a version
 * @internal
 */
export function parseKubernetesVersion(text: string): KubernetesVersion | undefined {
  const match = typeof text === 'string' ? VERSION.exec(text.trim()) : null;
  if (!match) {
    return undefined;
  }
  return { major: Number(match[1]), minor: Number(match[2]), ...(match[3] !== undefined ? { patch: Number(match[3]) } : {}) };
}

/**
 * Whether `version` is at least `major.minor`.
 * @internal
 */
export function atLeast(version: KubernetesVersion, major: number, minor: number): boolean {
  return version.major > major || (version.major === major && version.minor >= minor);
}

/**
 * Prints a version as `1.29`.
 * @internal
 */
export function formatVersion(version: KubernetesVersion): string {
  return `${version.major}.${version.minor}`;
}
