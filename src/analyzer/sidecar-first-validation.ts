import { readInputs } from './manifest-reader';
import { SidecarAnalyzer, WorkloadReport } from './sidecar-analyzer';
import { Finding, Severity } from './verdict';
import { show } from '../private/errors';
import { finding, FINDINGS, FindingId } from '../private/rules/findings';
import { parseKubernetesVersion } from '../private/rules/kubernetes-version';

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
}

/** How to fix a finding: by ID where it has its own fix, else by family. */
const FIXES: { readonly [idOrFamily: string]: string } = {
  SF1: 'Declare the sidecar with cdk8s-sidecar-first (SidecarFirstDeployment, SidecarFirst.attach or SidecarFirst.patch), or give it a startupProbe that checks what its readinessProbe checks (native sidecar) or a postStart hook that polls.',
  SF2: 'Set kubernetesVersion in cdk8s.yaml to the oldest version of your API server and nodes, and follow the finding.',
  SF203: 'Give the Job a backoffLimit that leaves room for the sidecar\'s restarts, or make sure its check can pass.',
  SF204: 'Upgrade the kubelets to 1.33.6, 1.34.2 or 1.35.0 or later, or use restartPolicy OnFailure, or make the sidecar not exit before it is ready.',
  SF205: 'Make the sidecar exit when the app is done (and say how with jobExit), or use a native sidecar (Kubernetes 1.29+), which the kubelet stops after the app.',
  SF3: 'Correct the pod spec: the API server rejects these fields, or accepts them but they can never work.',
};

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
    const problem = propertiesProblem(this.props);
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
    const byId = new Map<string, { first: Finding; resources: any[] }>();
    let failed = false;
    const add = (f: Finding, workload: WorkloadReport, manifestPath: string, where: string) => {
      const entry = byId.get(f.id) ?? { first: f, resources: [] };
      byId.set(f.id, entry);
      entry.resources.push({ resourceName: workload.name, manifestPath, locations: [`${workload.kind} ${workload.name}: ${where}${f.message}`] });
      failed ||= f.severity === Severity.ERROR;
    };
    for (const manifestPath of context.manifests as string[]) {
      const documents: any[] = [];
      for await (const event of readInputs([manifestPath], noStdin)) {
        if ('document' in event) {
          documents.push(event.document.value);
        } else if (!event.error.skipped) {
          add(finding('SF300', event.error.message),
            { document: 0, kind: '', name: manifestPath, podSpecPath: '', sidecars: [], findings: [] }, manifestPath, `line ${event.error.line ?? 1}: `);
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
    for (const [id, { first, resources }] of [...byId].sort(([a], [b]) => a.localeCompare(b))) {
      context.report.addViolation({
        ruleName: `sidecar-first ${id} (${first.severity})`,
        recommendation: (FINDINGS as any)[id as FindingId]?.summary ?? 'the manifest cannot be analyzed',
        fix: FIXES[id] ?? FIXES[id.slice(0, 3)],
        violatingResources: resources,
      });
    }
    context.report.submit(failed ? 'failure' : 'success');
  }
}

/** What is wrong with the plugin's properties in cdk8s.yaml, if anything, in one line. */
function propertiesProblem(props: unknown): string | undefined {
  const where = 'cdk8s.yaml: validations: SidecarFirstValidation properties';
  if (props === undefined || props === null) {
    return undefined;
  }
  if (typeof props !== 'object' || Array.isArray(props)) {
    return `${where} are ${show(props)}, which is not a map (e.g. properties: { kubernetesVersion: "1.29" })`;
  }
  const { kubernetesVersion, sidecars } = props as SidecarFirstValidationProps;
  if (kubernetesVersion !== undefined && !parseKubernetesVersion(kubernetesVersion)) {
    return `${where}: kubernetesVersion is ${show(kubernetesVersion)}, which is not a Kubernetes version (quote it: kubernetesVersion: "1.29"; or "v1.28.3", "1.28.3-eks-abc")`;
  }
  if (sidecars !== undefined && (!Array.isArray(sidecars) || !sidecars.every(s => typeof s === 'string'))) {
    return `${where}: sidecars is ${show(sidecars)}, which is not a list of container names (e.g. sidecars: [proxy])`;
  }
  return undefined;
}

/** cdk8s-cli hands files, never standard input. */
async function* noStdin(): AsyncGenerator<string> {}
