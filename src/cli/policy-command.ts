/**
 * `sidecar-first policy [options]`: prints the in-cluster policy (the
 * known-sidecar ConfigMap, the ValidatingAdmissionPolicy and its binding) as
 * YAML, for users without cdk8s; its options mirror SidecarFirstAdmissionPolicy's props.
 * @internal
 */
import { App, Chart, Yaml } from 'cdk8s';
import { CliIo, ParsedArgs, Subcommand, UsageError } from './subcommand';
import { AdmissionAction, SidecarFirstAdmissionPolicy } from '../constructs/sidecar-first-admission-policy';
import { isLibraryError } from '../private/errors';

const USAGE = `Usage: sidecar-first policy [options]

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
  sidecarNames: '--sidecar-name',
  sidecarImages: '--sidecar-image',
  namespaceLabels: '--namespace-label',
};

const ACTIONS: { readonly [flag: string]: AdmissionAction } = {
  deny: AdmissionAction.DENY,
  warn: AdmissionAction.WARN,
  audit: AdmissionAction.AUDIT,
};

/** `sidecar-first policy`. @internal */
export const POLICY: Subcommand = {
  name: 'policy',
  summary: 'prints the rules CEL can decide as an admission policy for the API server (sidecar-first policy --help)',
  usage: USAGE,
  options: {
    'action': { type: 'string', multiple: true },
    'namespace-label': { type: 'string', multiple: true },
    'pods-only': { type: 'boolean' },
    'name': { type: 'string' },
    'params-namespace': { type: 'string' },
    'sidecar-name': { type: 'string', multiple: true },
    'sidecar-image': { type: 'string', multiple: true },
    'kubernetes-version': { type: 'string' },
  },
  run: policy,
};

async function policy({ values, positionals }: ParsedArgs, io: CliIo): Promise<number> {
  if (positionals.length > 0) {
    throw new UsageError(`policy takes no PATH, but was given "${positionals[0]}"`);
  }
  const actions = (values.action ?? []) as string[];
  const bad = actions.find(a => !Object.prototype.hasOwnProperty.call(ACTIONS, a));
  if (bad !== undefined) {
    throw new UsageError(`--action is "${bad}"; use deny, warn or audit`);
  }
  const labels = (values['namespace-label'] ?? []) as string[];
  const label = labels.find(l => !/^[^=]+=.*$/.test(l));
  if (label !== undefined) {
    throw new UsageError(`--namespace-label is "${label}"; give KEY=VALUE`);
  }
  const chart = new Chart(new App(), 'sidecar-first-policy');
  try {
    new SidecarFirstAdmissionPolicy(chart, 'sidecar-first-policy', {
      actions: actions.length > 0 ? actions.map(a => ACTIONS[a]) : undefined,
      namespaceLabels: labels.length > 0 ? Object.fromEntries(labels.map(l => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])) : undefined,
      matchWorkloads: !values['pods-only'],
      name: values.name as string | undefined,
      paramsNamespace: values['params-namespace'] as string | undefined,
      sidecarNames: (values['sidecar-name'] ?? []) as string[],
      sidecarImages: (values['sidecar-image'] ?? []) as string[],
      kubernetesVersion: values['kubernetes-version'] as string | undefined,
    });
  } catch (e) {
    if (!isLibraryError(e)) {
      throw e;
    }
    // The construct's located error, in the command's words: its path is the command, its field the option.
    // A list's index names one of the repeated options, whose value the message gives.
    throw new UsageError((e as Error).message.replace(/^sidecar-first-policy\/sidecar-first-policy: (\w+)(\[\d+\])?/, (_, field: string, index?: string) => OPTION_OF[field] ?? `${field}${index ?? ''}`));
  }
  io.stdout(Yaml.stringify(...chart.toJson()));
  return 0;
}
