/**
 * `sidecar-first policy [options]`: prints the in-cluster policy (the
 * known-sidecar ConfigMap, the ValidatingAdmissionPolicy and its binding) as
 * YAML, for users without cdk8s; its options mirror SidecarFirstAdmissionPolicy's props.
 * @internal
 */
import { App, Chart, Yaml } from 'cdk8s';
import { AdmissionAction, SidecarFirstAdmissionPolicy } from '../constructs/sidecar-first-admission-policy';

/** The options of `policy`, parsed. @internal */
export interface PolicyCommandOptions {
  /** deny, warn, audit (repeatable); empty: the construct's default. */
  readonly actions: readonly string[];
  /** KEY=VALUE labels a namespace must have. */
  readonly namespaceLabels: readonly string[];
  readonly podsOnly: boolean;
  readonly name?: string;
  readonly paramsNamespace?: string;
  readonly sidecarNames: readonly string[];
  readonly sidecarImages: readonly string[];
  readonly kubernetesVersion?: string;
}

/** What the command writes to. @internal */
export interface PolicyCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

/** @internal */
export const POLICY_USAGE = `Usage: sidecar-first policy [options]

Prints, as YAML for kubectl apply, the kubelet rules that CEL can decide as a
ValidatingAdmissionPolicy the API server enforces (Kubernetes 1.30+), its
binding, and the ConfigMap of known sidecars (the policy's parameters: add
your own sidecars' names or images to it at any time).

Options:
  --action deny|warn|audit      what to do with a pod that breaks a rule (repeatable;
                                default: warn and audit; deny cannot go with warn)
  --namespace-label KEY=VALUE   only namespaces with this label (repeatable; default: all)
  --pods-only                   judge Pods only, not the pod templates of Deployments,
                                StatefulSets, DaemonSets, ReplicaSets, Jobs and CronJobs
  --name NAME                   name of the policy and binding (default: sidecar-first)
  --params-namespace NS         namespace of the known-sidecar ConfigMap (default: kube-system)
  --sidecar-name NAME           a container name to know as a sidecar (repeatable)
  --sidecar-image REPOSITORY    an image repository to know as a sidecar, e.g. my-org/proxy
                                (repeatable)
  --kubernetes-version V        the cluster's version: below 1.30 the command refuses

See docs/admission-policy.md.`;

/** The option of each prop, for error messages. */
const OPTION_OF: { readonly [prop: string]: string } = {
  kubernetesVersion: '--kubernetes-version',
  actions: '--action',
  name: '--name',
  paramsNamespace: '--params-namespace',
};

const ACTIONS: { readonly [flag: string]: AdmissionAction } = {
  deny: AdmissionAction.DENY,
  warn: AdmissionAction.WARN,
  audit: AdmissionAction.AUDIT,
};

/**
 * Runs `policy`; returns the exit status (2 for a bad option).
 * @internal
 */
export function policyCommand(options: PolicyCommandOptions, io: PolicyCommandIo): number {
  const bad = options.actions.find(a => !Object.prototype.hasOwnProperty.call(ACTIONS, a));
  if (bad !== undefined) {
    io.stderr(`sidecar-first policy: --action is "${bad}"; use deny, warn or audit\n`);
    return 2;
  }
  const label = options.namespaceLabels.find(l => !/^[^=]+=.*$/.test(l));
  if (label !== undefined) {
    io.stderr(`sidecar-first policy: --namespace-label is "${label}"; give KEY=VALUE\n`);
    return 2;
  }
  const chart = new Chart(new App(), 'sidecar-first-policy');
  try {
    new SidecarFirstAdmissionPolicy(chart, 'sidecar-first-policy', {
      actions: options.actions.length > 0 ? options.actions.map(a => ACTIONS[a]) : undefined,
      namespaceLabels: options.namespaceLabels.length > 0
        ? Object.fromEntries(options.namespaceLabels.map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])) : undefined,
      matchWorkloads: !options.podsOnly,
      name: options.name,
      paramsNamespace: options.paramsNamespace,
      sidecarNames: [...options.sidecarNames],
      sidecarImages: [...options.sidecarImages],
      kubernetesVersion: options.kubernetesVersion,
    });
  } catch (e) {
    // The construct's located error, in the command's words: its path is the command, its field the option.
    const message = (e as Error).message.replace(/^sidecar-first-policy\/sidecar-first-policy: (\w+)/, (_, field: string) => `sidecar-first policy: ${OPTION_OF[field] ?? field}`);
    io.stderr(`${message}\n`);
    return 2;
  }
  io.stdout(Yaml.stringify(...chart.toJson()));
  return 0;
}
