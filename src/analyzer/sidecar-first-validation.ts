import { promises as fs } from 'fs';
import { parseAllDocuments } from 'yaml';
import { SidecarAnalyzer } from './sidecar-analyzer';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Properties of the cdk8s validation plugin, from `cdk8s.yaml`.
 */
export interface SidecarFirstValidationProps {
  /**
   * The Kubernetes version the manifests will run on (the oldest of the API
   * server and the kubelets).
   *
   * @default - findings that depend on the version are not reported
   */
  readonly kubernetesVersion?: string;

  /**
   * Containers to treat as sidecars besides those the rules find.
   *
   * @default - none
   */
  readonly sidecars?: string[];
}

/**
 * A cdk8s-cli validation plugin: `cdk8s synth` fails when an app does not
 * wait for one of its sidecars to be ready. In `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: cdk8s-sidecar-first
 *     version: 0.0.0   # the exact version you installed
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
   * Checks every manifest cdk8s synthesized; one violation per sidecar the
   * app does not wait for, and per manifest the API server would reject.
   *
   * @param context the cdk8s-cli `ValidationContext` (`manifests`, `report`)
   */
  public async validate(context: any): Promise<void> {
    let failed = false;
    for (const manifestPath of context.manifests as string[]) {
      const documents = parseAllDocuments(await fs.readFile(manifestPath, 'utf8'));
      const values = (Array.isArray(documents) ? documents : []).map(d => d.toJS());
      for (const workload of SidecarAnalyzer.analyzeManifests(values, this.props)) {
        const resourceName = workload.name;
        for (const sidecar of workload.sidecars.filter(s => !s.appWaitsForReady)) {
          failed = true;
          context.report.addViolation({
            ruleName: 'sidecar-first/app-waits-for-sidecar',
            recommendation: `The app of ${workload.kind} "${workload.name}" starts without waiting for sidecar "${sidecar.name}" to be ready (${sidecar.findings.join('; ') || 'nothing holds it back'}).`,
            fix: 'Declare the sidecar with cdk8s-sidecar-first (SidecarFirstDeployment, SidecarFirst.attach or SidecarFirst.patch), or give it a startupProbe (native sidecar) or a waiting postStart hook.',
            violatingResources: [{ resourceName, manifestPath, locations: [`sidecar ${sidecar.name}`] }],
          });
        }
        if (workload.invalid || workload.findings.length > 0) {
          failed = true;
          context.report.addViolation({
            ruleName: 'sidecar-first/pod-spec-valid',
            recommendation: workload.invalid ?? workload.findings.join('; '),
            fix: 'Correct the pod spec; these fields are rejected by the API server or can never work.',
            violatingResources: [{ resourceName, manifestPath, locations: workload.invalid ? ['spec'] : workload.findings }],
          });
        }
      }
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}
