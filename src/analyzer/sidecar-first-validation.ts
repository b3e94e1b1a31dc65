import { counts } from './ignore';
import { readInputs } from './manifest-reader';
import { checkSettings, FailOn, failingSeverities, SettingsProblem } from './settings';
import { SidecarAnalyzer, WorkloadReport } from './sidecar-analyzer';
import { Finding } from './verdict';
import { finding, FINDINGS, FindingId, fixOf } from '../private/rules/findings';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Properties of the cdk8s validation plugin, from `cdk8s.yaml`.
 */
export interface SidecarFirstValidationProps {
  /**
   * The Kubernetes version the manifests will run on (the oldest of the API
   * server and the kubelets), e.g. `1.29` or `1.33.6`.
   *
   * @default - judged for the newest Kubernetes; what differs on older versions is reported as SF200 (info)
   */
  readonly kubernetesVersion?: string;

  /**
   * Containers to treat as sidecars besides those the rules find.
   *
   * @default - none
   */
  readonly sidecars?: string[];

  /**
   * Containers to treat as sidecars by image, as patterns where `*` stands
   * for any characters (`docker.io/fluent/fluent-bit:*`).
   *
   * @default - none
   */
  readonly sidecarImages?: string[];

  /**
   * Finding IDs to ignore: still shown, they fail nothing.
   *
   * @default - none
   */
  readonly ignore?: string[];

  /**
   * What fails synth: `error`, `warning` (warnings and errors) or `none`.
   *
   * @default "error"
   */
  readonly failOn?: string;
}

/**
 * A cdk8s-cli validation plugin: `cdk8s synth` fails on errors (an app that
 * does not wait for one of its sidecars to be ready, a pod the API server
 * rejects) and shows warnings and notes without failing. One violation per
 * finding ID, each occurrence a location. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-sidecar-first   # the copy your app installed
 *     version: 0.1.0   # the exact version you installed
 *     class: SidecarFirstValidation
 *     properties:
 *       kubernetesVersion: "1.29"
 * ```
 *
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation-plugins
 */
export class SidecarFirstValidation {
  constructor(private readonly props: SidecarFirstValidationProps = {}) {}

  /**
   * Checks every manifest cdk8s synthesized. cdk8s-cli's violations have no
   * severity: it is in the rule name (`sidecar-first SF113 (warning)`), and the
   * report fails only when there is an error.
   *
   * @param context the cdk8s-cli `ValidationContext` (`manifests`, `report`)
   */
  public async validate(context: any): Promise<void> {
    const { error, warnings } = checkSettings(this.props, 'properties: { kubernetesVersion: "1.29" }');
    const problem = error && located(error);
    if (problem) {
      // cdk8s-cli prints an exception with its stack trace, and without saying where the setting is: a violation says it once.
      context.report.addViolation({
        ruleName: 'sidecar-first configuration (error)',
        recommendation: problem,
        fix: 'Correct the properties of the SidecarFirstValidation entry under validations in cdk8s.yaml',
        violatingResources: [{ resourceName: 'SidecarFirstValidation', manifestPath: 'cdk8s.yaml', locations: [problem] }],
      });
      context.report.submit('failure');
      return;
    }
    if (warnings.length > 0) {
      context.report.addViolation({
        ruleName: 'sidecar-first configuration (warning)',
        recommendation: warnings.map(located).join('; '),
        fix: 'Remove the IDs from ignore, or correct them (see docs/cli.md, section Findings)',
        violatingResources: [{ resourceName: 'SidecarFirstValidation', manifestPath: 'cdk8s.yaml', locations: warnings.map(located) }],
      });
    }
    const failOn: FailOn = (this.props?.failOn as FailOn | undefined) ?? 'error';
    const failing = failingSeverities(failOn);
    const byId = new Map<string, { first: Finding; resources: any[] }>();
    let failed = false;
    const add = (f: Finding, workload: WorkloadReport, manifestPath: string, where: string) => {
      const key = counts(f) ? f.id : `${f.id} ignored`;
      const entry = byId.get(key) ?? { first: f, resources: [] };
      byId.set(key, entry);
      const ignored = f.ignored ? ` (ignored by ${f.ignored.by}${f.ignored.reason ? `: ${f.ignored.reason}` : ''})` : '';
      entry.resources.push({ resourceName: workload.name, manifestPath, locations: [`${workload.kind} ${workload.name}: ${where}${f.message}${ignored}`] });
      failed ||= counts(f) && failing.includes(f.severity);
    };
    for (const manifestPath of context.manifests as string[]) {
      const documents: any[] = [];
      for await (const event of readInputs([manifestPath], noStdin)) {
        if ('document' in event) {
          documents.push(event.document.value);
        } else if (!event.error.skipped) {
          add(finding('SF300', event.error.message),
            { document: 0, kind: '', name: manifestPath, podSpecPath: '', sidecars: [], startSequence: [], findings: [] }, manifestPath, `line ${event.error.line ?? 1}: `);
        }
      }
      for (const workload of SidecarAnalyzer.analyzeManifests(documents, this.props ?? {})) {
        for (const sidecar of workload.sidecars) {
          sidecar.findings.forEach(f => add(f, workload, manifestPath, `sidecar "${sidecar.name}": `));
        }
        workload.findings.forEach(f => add(f, workload, manifestPath, ''));
        if (workload.invalid) {
          add(finding('SF300', workload.invalid), workload, manifestPath, '');
        }
      }
    }
    for (const [key, { first, resources }] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
      const id = first.id;
      context.report.addViolation({
        ruleName: `sidecar-first ${id} (${first.severity}${key === id ? '' : ', ignored'})`,
        recommendation: (FINDINGS as any)[id as FindingId]?.summary ?? 'the manifest cannot be analyzed',
        fix: fixOf(id),
        violatingResources: resources,
      });
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}

/** A problem in the plugin's properties, naming them in cdk8s.yaml. */
function located(problem: SettingsProblem): string {
  const where = 'cdk8s.yaml: validations: SidecarFirstValidation properties';
  return problem.path.length === 0 ? `${where} ${problem.message}` : `${where}: ${problem.message}`;
}

/** cdk8s-cli hands files, never standard input. */
async function* noStdin(): AsyncGenerator<string> {}
