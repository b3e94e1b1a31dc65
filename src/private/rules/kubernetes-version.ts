import { declarationError, show } from '../errors';

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
export function parseKubernetesVersion(text: unknown): KubernetesVersion | undefined {
  const match = typeof text === 'string' ? VERSION.exec(text.trim()) : null;
  if (!match) {
    return undefined;
  }
  return { major: Number(match[1]), minor: Number(match[2]), ...(match[3] !== undefined ? { patch: Number(match[3]) } : {}) };
}

/**
 * Parses a version a user gave in `field`, or throws the library's located
 * error: every entry point (constructs, context, environment, analyzer, CLI)
 * reports a bad version in the same words.
 * @internal
 */
export function requireKubernetesVersion(where: string, field: string, value: unknown): KubernetesVersion {
  const version = parseKubernetesVersion(value);
  if (!version) {
    throw declarationError(where, field, `is ${show(value)}, which is not a Kubernetes version`,
      'Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"');
  }
  return version;
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
