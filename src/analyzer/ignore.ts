/**
 * Ignoring findings: the annotation `sidecar-first.dev/ignore: "SF102,SF105: reason"`
 * on a workload or its pod template, and the IDs of the settings (`--ignore`,
 * `.sidecar-first.yaml`, the validation plugin's `ignore`). An ignored finding
 * is still reported, marked, and counted; it fails nothing.
 * @internal
 */
import { Finding, Ignored, IgnoredBy } from './verdict';
import { FINDINGS } from '../private/rules/findings';

/** @internal */
export const IGNORE_ANNOTATION = 'sidecar-first.dev/ignore';

/**
 * Whether `id` is a finding ID the analyzer reports.
 * @internal
 */
export function isFindingId(id: string): boolean {
  return Object.prototype.hasOwnProperty.call(FINDINGS, id);
}

/**
 * IDs to ignore and why.
 * @internal
 */
export interface IgnoreRule {
  readonly ids: ReadonlySet<string>;
  readonly ignored: Ignored;
}

/**
 * The rules of the `sidecar-first.dev/ignore` annotations of a workload and
 * of its pod template (`IDS[: REASON]`: IDs separated by commas, the reason
 * everything after the first colon), and the IDs they name that are no
 * finding's (a warning, not an error: an ID from a newer version is harmless).
 * @internal
 */
export function annotationIgnores(metadatas: readonly unknown[]): { rules: IgnoreRule[]; unknown: string[] } {
  const rules: IgnoreRule[] = [];
  const unknown: string[] = [];
  for (const metadata of metadatas) {
    const value = (metadata as { annotations?: { [key: string]: unknown } } | undefined)?.annotations?.[IGNORE_ANNOTATION];
    if (typeof value !== 'string') {
      continue;
    }
    const colon = value.indexOf(':');
    const ids = (colon < 0 ? value : value.slice(0, colon)).split(',').map(id => id.trim()).filter(Boolean);
    const reason = colon < 0 ? '' : value.slice(colon + 1).trim();
    unknown.push(...ids.filter(id => !isFindingId(id)));
    rules.push({ ids: new Set(ids), ignored: { by: IgnoredBy.ANNOTATION, ...(reason ? { reason } : {}) } });
  }
  return { rules, unknown };
}

/**
 * The rule of the settings' `ignore` IDs.
 * @internal
 */
export function settingsIgnore(ids: readonly string[]): IgnoreRule[] {
  return ids.length === 0 ? [] : [{ ids: new Set(ids), ignored: { by: IgnoredBy.SETTINGS } }];
}

/**
 * The findings, those that a rule names marked as ignored (the first rule
 * that names one says why).
 * @internal
 */
export function applyIgnores(findings: Finding[], rules: readonly IgnoreRule[]): Finding[] {
  return findings.map(f => {
    const rule = rules.find(r => r.ids.has(f.id));
    return rule ? { ...f, ignored: rule.ignored } : f;
  });
}

/**
 * Whether a finding counts: not ignored.
 * @internal
 */
export function counts(f: Finding): boolean {
  return f.ignored === undefined;
}
