/**
 * What `check` and `observe` read alike to know the sidecars and the cluster:
 * the settings file (`.sidecar-first.yaml`, or `--config FILE`) and the options
 * that add to it. One place, so both subcommands judge a pod the same way.
 * @internal
 */
import { ConfigError, findConfig, LoadedConfig, loadConfig } from './config-file';
import { printable } from './report-format';
import { CliIo, ParsedArgs } from './subcommand';
import { Settings } from '../analyzer/settings';
import { ResolvedOptions } from '../analyzer/sidecar-analyzer';
import { KubernetesVersion, parseKubernetesVersion, requireKubernetesVersion } from '../private/rules/kubernetes-version';

/** The options of the analyzing subcommands that `kubernetesVersionOption` and `loadAnalysisSettings` read. @internal */
export const ANALYSIS_OPTIONS = {
  'kubernetes-version': { type: 'string' },
  'sidecar': { type: 'string', multiple: true },
  'sidecar-image': { type: 'string', multiple: true },
  'config': { type: 'string' },
} as const;

/** @internal */
export interface AnalysisSettings {
  /** The analyzer's options: the file's settings, then the command line's. */
  readonly options: ResolvedOptions;
  /** The file's settings, for what else a subcommand takes from them (failOn). */
  readonly settings: Settings;
  /** The file's warnings, `file:line:col: message`. */
  readonly warnings: string[];
}

/**
 * `--kubernetes-version`, checked (a library error when it is not a version):
 * the commands check it among their options, before they read anything.
 * @internal
 */
export function kubernetesVersionOption(values: ParsedArgs['values']): KubernetesVersion | undefined {
  const text = values['kubernetes-version'] as string | undefined;
  return text === undefined ? undefined : requireKubernetesVersion('sidecar-first', '--kubernetes-version', text);
}

/**
 * The settings file found from `cwd` (or given), with the options added: `version`
 * from kubernetesVersionOption, `ignore` the command line's finding IDs. A bad file
 * is reported on standard error as file:line:col, and gives undefined (exit 2).
 * @internal
 */
export function loadAnalysisSettings(values: ParsedArgs['values'], io: CliIo, version: KubernetesVersion | undefined, ignore: readonly string[] = []): AnalysisSettings | undefined {
  const file = (values.config as string | undefined) ?? findConfig(io.cwd ?? process.cwd());
  let config: LoadedConfig;
  try {
    config = file === undefined ? { settings: {}, warnings: [] } : loadConfig(file);
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr(`sidecar-first: ${printable(e.message)}\n`);
      return undefined;
    }
    throw e;
  }
  const { settings, warnings } = config;
  // The settings' version is checked already (checkSettings).
  const chosen = version ?? parseKubernetesVersion(settings.kubernetesVersion);
  return {
    settings,
    warnings,
    options: {
      named: [...(settings.sidecars ?? []), ...((values.sidecar ?? []) as string[])],
      images: [...(settings.sidecarImages ?? []), ...((values['sidecar-image'] ?? []) as string[])],
      ignore: [...(settings.ignore ?? []), ...ignore],
      ...(chosen ? { version: chosen } : {}),
    },
  };
}
