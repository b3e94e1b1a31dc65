/**
 * What `check` and `observe` read alike to know the sidecars and the cluster:
 * the settings file (`.sidecar-first.yaml`, or `--config FILE`) and the options
 * that add to it. One place, so both subcommands judge a pod the same way.
 * @internal
 */
import { findConfig, loadConfig } from './config-file';
import { ParsedArgs } from './subcommand';
import { Settings } from '../analyzer/settings';
import { ResolvedOptions } from '../analyzer/sidecar-analyzer';
import { parseKubernetesVersion, requireKubernetesVersion } from '../private/rules/kubernetes-version';

/** The options of the analyzing subcommands that `loadAnalysisSettings` reads. @internal */
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
 * The settings file found from `cwd` (or given), with the options added; `ignore`
 * are the command line's finding IDs. Throws a ConfigError for a bad file, a library
 * error for a bad --kubernetes-version.
 * @internal
 */
export function loadAnalysisSettings(values: ParsedArgs['values'], cwd: string, ignore: readonly string[] = []): AnalysisSettings {
  const versionOption = values['kubernetes-version'] as string | undefined;
  const optionVersion = versionOption === undefined ? undefined : requireKubernetesVersion('sidecar-first', '--kubernetes-version', versionOption);
  const file = (values.config as string | undefined) ?? findConfig(cwd);
  const { settings, warnings } = file === undefined ? { settings: {} as Settings, warnings: [] } : loadConfig(file);
  // The settings' version is checked already (checkSettings).
  const version = optionVersion ?? parseKubernetesVersion(settings.kubernetesVersion);
  return {
    settings,
    warnings,
    options: {
      named: [...(settings.sidecars ?? []), ...((values.sidecar ?? []) as string[])],
      images: [...(settings.sidecarImages ?? []), ...((values['sidecar-image'] ?? []) as string[])],
      ignore: [...(settings.ignore ?? []), ...ignore],
      ...(version ? { version } : {}),
    },
  };
}
