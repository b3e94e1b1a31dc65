/**
 * `.sidecar-first.yaml`: the settings of `sidecar-first check` for a
 * repository, found by walking up from the working directory (or named with
 * `--config FILE`). Checked by the same function as the validation plugin's
 * properties; every problem is reported as `file:line:col: message`.
 * @internal
 */
import { existsSync, readFileSync } from 'fs';
import * as path from 'path';
import { isMap, isScalar, LineCounter, parseDocument } from 'yaml';
import { checkSettings, Settings, SettingsProblem } from '../analyzer/settings';

/** @internal */
export const CONFIG_FILE = '.sidecar-first.yaml';

/**
 * A bad settings file: its message is `file:line:col: what is wrong`.
 * @internal
 */
export class ConfigError extends Error {}

/** @internal */
export interface LoadedConfig {
  /** The file read, if any. */
  readonly file?: string;
  readonly settings: Settings;
  /** `file:line:col: message` of each warning. */
  readonly warnings: string[];
}

/**
 * The nearest `.sidecar-first.yaml` from `cwd` up to the root, or none.
 * @internal
 */
export function findConfig(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) {
      return candidate;
    }
    if (path.dirname(dir) === dir) {
      return undefined;
    }
  }
}

/**
 * Reads and checks a settings file; throws a ConfigError naming file, line and column.
 * @internal
 */
export function loadConfig(file: string): LoadedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e: unknown) {
    throw new ConfigError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (e as Error).message}`);
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length > 0) {
    const [error] = doc.errors;
    throw new ConfigError(`${at(error.pos[0])}: ${error.message.split('\n')[0]}`);
  }
  let value: unknown;
  try {
    value = doc.toJS();
  } catch (e: unknown) {
    // yaml refuses excessive alias expansion (a "billion laughs" file) only when it builds the values.
    throw new ConfigError(`${at(0)}: ${(e as Error).message}`);
  }
  const { error, warnings } = checkSettings(value, 'kubernetesVersion: "1.29"');
  const locate = (problem: SettingsProblem) => {
    const offset = nodeOffset(doc, problem);
    return `${at(offset)}: ${problem.path.length === 0 ? `the settings ${problem.message}` : problem.message}`;
  };
  if (error) {
    throw new ConfigError(locate(error));
  }
  return { file, settings: (value ?? {}) as Settings, warnings: warnings.map(locate) };
}

/** Where the value at the problem's path starts, or its key. */
function nodeOffset(doc: ReturnType<typeof parseDocument>, problem: SettingsProblem): number {
  const keys = problem.path;
  const node = problem.key ? undefined : doc.getIn(keys, true) as { range?: [number, number, number] } | undefined;
  if (node?.range) {
    return node.range[0];
  }
  const parent = keys.length <= 1 ? doc.contents : doc.getIn(keys.slice(0, -1), true);
  if (isMap(parent)) {
    const pair = parent.items.find(p => isScalar(p.key) && p.key.value === keys[keys.length - 1]);
    if (isScalar(pair?.key) && pair.key.range) {
      return pair.key.range[0];
    }
  }
  return (doc.contents as { range?: [number, number, number] } | null)?.range?.[0] ?? 0;
}
