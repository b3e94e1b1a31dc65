/**
 * The settings shared by `.sidecar-first.yaml` and the validation plugin's
 * properties in cdk8s.yaml: one checker, so both accept the same names and
 * say the same words about a bad value.
 * @internal
 */
import { isFindingId } from './ignore';
import { Severity } from './verdict';
import { show } from '../private/errors';
import { parseKubernetesVersion } from '../private/rules/kubernetes-version';

/**
 * What exits 1 (the CLI) or fails synth (the plugin): findings of this
 * severity or worse that are not ignored.
 * @internal
 */
export const FAIL_ON = ['error', 'warning', 'none'] as const;

/** @internal */
export type FailOn = typeof FAIL_ON[number];

/**
 * The severities that fail under `failOn`.
 * @internal
 */
export function failingSeverities(failOn: FailOn): Severity[] {
  return failOn === 'none' ? [] : failOn === 'warning' ? [Severity.ERROR, Severity.WARNING] : [Severity.ERROR];
}

/**
 * The settings, as written.
 * @internal
 */
export interface Settings {
  readonly kubernetesVersion?: string;
  readonly sidecars?: string[];
  readonly sidecarImages?: string[];
  readonly ignore?: string[];
  readonly failOn?: FailOn;
}

/**
 * Something wrong in the settings, and where: the path of keys and indexes
 * to the value (empty: the settings themselves).
 * @internal
 */
export interface SettingsProblem {
  readonly path: ReadonlyArray<string | number>;
  readonly message: string;
  /** The problem is the last key of `path` itself (an unknown setting), not its value. */
  readonly key?: boolean;
}

const LISTS: { readonly [key: string]: string } = {
  sidecars: 'container names (e.g. sidecars: [proxy])',
  sidecarImages: 'image patterns (e.g. sidecarImages: ["*/fluent-bit:*"])',
  ignore: 'finding IDs (e.g. ignore: [SF113])',
};
const KEYS = ['kubernetesVersion', 'sidecars', 'sidecarImages', 'ignore', 'failOn'];

/**
 * The first error in `value` (a setting of the wrong type, an unknown key, a
 * bad version), and the warnings (ignored IDs that are no finding's).
 * @internal
 */
export function checkSettings(value: unknown, mapExample: string): { error?: SettingsProblem; warnings: SettingsProblem[] } {
  if (value === undefined || value === null) {
    return { warnings: [] };
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { error: { path: [], message: `are ${show(value)}, which is not a map (e.g. ${mapExample})` }, warnings: [] };
  }
  const settings = value as { [key: string]: unknown };
  const unknown = Object.keys(settings).find(key => !KEYS.includes(key));
  if (unknown !== undefined) {
    return { error: { key: true, path: [unknown], message: `${show(unknown)} is not a setting: the settings are ${KEYS.join(', ')}` }, warnings: [] };
  }
  const { kubernetesVersion, failOn } = settings;
  if (kubernetesVersion !== undefined && !parseKubernetesVersion(kubernetesVersion)) {
    return {
      error: { path: ['kubernetesVersion'], message: `kubernetesVersion is ${show(kubernetesVersion)}, which is not a Kubernetes version (quote it: kubernetesVersion: "1.29"; or "v1.28.3", "1.28.3-eks-abc")` },
      warnings: [],
    };
  }
  for (const [key, what] of Object.entries(LISTS)) {
    const list = settings[key];
    if (list !== undefined && (!Array.isArray(list) || !list.every(s => typeof s === 'string'))) {
      const bad = Array.isArray(list) ? list.findIndex(s => typeof s !== 'string') : -1;
      return { error: { path: bad < 0 ? [key] : [key, bad], message: `${key} is ${show(list)}, which is not a list of ${what}` }, warnings: [] };
    }
  }
  if (failOn !== undefined && !(FAIL_ON as readonly unknown[]).includes(failOn)) {
    return { error: { path: ['failOn'], message: `failOn is ${show(failOn)}; use error, warning or none` }, warnings: [] };
  }
  const ignore = (settings.ignore ?? []) as string[];
  return {
    warnings: ignore.flatMap((id, i) => (isFindingId(id) ? [] : [{ path: ['ignore', i], message: `ignore names ${show(id)}, which is not a finding ID (see docs/cli.md, section Findings)` }])),
  };
}

/**
 * A container image matches a pattern where `*` stands for any characters
 * (`docker.io/fluent/fluent-bit:*`, `ghcr.io/acme/*`).
 * @internal
 */
export function imageMatches(image: string, pattern: string): boolean {
  const regex = new RegExp(`^${pattern.split('*').map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 's');
  return regex.test(image);
}
