/**
 * The objects of the in-cluster policy: the known-sidecar ConfigMap (its
 * parameters), the ValidatingAdmissionPolicy with the CEL of cel-rules.ts,
 * and its binding. Plain objects: the construct adds them to a chart, the
 * `sidecar-first policy` command prints them.
 * @internal
 */
import { celValidations } from './cel-rules';
import { isDnsLabel } from '../declare/container-names';
import { declarationError, show } from '../errors';
import { FINDINGS } from '../rules/findings';
import { KNOWN_SIDECARS } from '../rules/known-sidecars';
import { atLeast, formatVersion, KubernetesVersion } from '../rules/kubernetes-version';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What the policy does with a pod that breaks a rule (the binding's validationActions). @internal */
export type PolicyAction = 'Deny' | 'Warn' | 'Audit';

/** @internal */
export interface PolicyOptions {
  /** Name of the policy and its binding; the ConfigMap is `NAME-known-sidecars`. */
  readonly name: string;
  readonly actions: readonly PolicyAction[];
  /** Only namespaces with these labels; undefined: every namespace. */
  readonly namespaceLabels?: { readonly [key: string]: string };
  readonly matchPods: boolean;
  readonly matchWorkloads: boolean;
  /** Namespace of the known-sidecar ConfigMap. */
  readonly paramsNamespace: string;
  readonly sidecarNames: readonly string[];
  readonly sidecarImages: readonly string[];
  /** The cluster's version, when known: below 1.30 there is no admissionregistration.k8s.io/v1 policy. */
  readonly version?: KubernetesVersion;
  /** Where the version came from, for the error (`kubernetesVersion`, the context key, ...). */
  readonly versionField: string;
}

const API_VERSION = 'admissionregistration.k8s.io/v1';

/** The workload kinds whose pod templates the policy judges, by API group. */
const WORKLOADS = [
  { apiGroups: ['apps'], resources: ['deployments', 'statefulsets', 'daemonsets', 'replicasets'] },
  { apiGroups: ['batch'], resources: ['jobs', 'cronjobs'] },
];

/**
 * The known-sidecar parameters: container names, image repositories (an image
 * matches by suffix at a `/`) and name patterns (RE2), one a line, from
 * known-sidecars.ts's table and the extra ones given. Operators add lines.
 * @internal
 */
export function knownSidecarData(extraNames: readonly string[] = [], extraImages: readonly string[] = []): { [key: string]: string } {
  const lines = (values: readonly string[]) => [...new Set(values)].join('\n');
  return {
    names: lines([...KNOWN_SIDECARS.flatMap(k => k.names), ...extraNames]),
    images: lines([...KNOWN_SIDECARS.flatMap(k => k.images), ...extraImages]),
    namePatterns: lines(KNOWN_SIDECARS.flatMap(k => (k.namePatterns ?? []).map(p => p.source))),
  };
}

/**
 * Checks the options, in `where`'s words; throws the library's located error.
 * @internal
 */
export function checkPolicyOptions(where: string, options: PolicyOptions): void {
  const { version } = options;
  if (version && !atLeast(version, 1, 30)) {
    throw declarationError(where, options.versionField, `is ${formatVersion(version)}, which does not serve ${API_VERSION} ValidatingAdmissionPolicy (GA in 1.30; v1beta1 in 1.28 and 1.29 is off unless the cluster enables it)`,
      'Use the policy on clusters of 1.30 or later, and check older ones with `sidecar-first check` or the validation plugin');
  }
  if (options.actions.length === 0) {
    throw declarationError(where, 'actions', 'is empty', 'Give AdmissionAction.DENY, or WARN and/or AUDIT');
  }
  if (options.actions.includes('Deny') && options.actions.includes('Warn')) {
    throw declarationError(where, 'actions', `is ${show(options.actions)}: the API server rejects Deny with Warn (a denied request has no warnings to show)`, 'Give DENY (with AUDIT if you like), or WARN');
  }
  if (!options.matchPods && !options.matchWorkloads) {
    throw declarationError(where, 'matchPods', 'and matchWorkloads are both false: the policy would match nothing', 'Leave matchPods true (Pods are what the kubelet runs)');
  }
  if (!isDnsLabel(options.name) || options.name.length > 63 - '-known-sidecars'.length) {
    throw declarationError(where, 'name', `is ${show(options.name)}, which is not a DNS label of at most ${63 - '-known-sidecars'.length} characters`, 'Use lower-case letters, digits and dashes');
  }
  if (!isDnsLabel(options.paramsNamespace)) {
    throw declarationError(where, 'paramsNamespace', `is ${show(options.paramsNamespace)}, which is not a namespace name (a DNS label)`, 'Use lower-case letters, digits and dashes, at most 63');
  }
  options.sidecarNames.forEach((n, i) => {
    if (!isDnsLabel(n)) {
      throw declarationError(where, `sidecarNames[${i}]`, `is ${show(n)}, which is not a container name (a DNS label): no container could have it`, 'Give the name as the pod spec has it: lower-case letters, digits and dashes');
    }
  });
  options.sidecarImages.forEach((r, i) => {
    // The policy compares a pod's image without tag and digest, as written (cel-rules.ts `repository`): a value with
    // either, a pattern or upper case (never in a repository) would never match.
    if (typeof r !== 'string' || r === '' || /[\s*?A-Z]/.test(r) || r.startsWith('/') || r.endsWith('/') || r.includes('@') || /:[^/]*$/.test(r)) {
      throw declarationError(where, `sidecarImages[${i}]`, `is ${show(r)}, which is not an image repository (lower case, no pattern, tag or digest): no image would match it`,
        'Give the repository only, e.g. "my-org/my-proxy" for registry.example/my-org/my-proxy:1.2');
    }
  });
  for (const [key, value] of Object.entries(options.namespaceLabels ?? {})) {
    if (!isLabelKey(key) || !isLabelValue(value)) {
      throw declarationError(where, 'namespaceLabels', `has ${show(key)}: ${show(value)}, which is not a label the API server accepts`,
        'Use a key of [prefix/]name and a value of at most 63 letters, digits, "-", "_" and ".", beginning and ending with a letter or digit');
    }
  }
}

/** A label value (apimachinery's IsValidLabelValue): empty, or 63 at most, alphanumeric at both ends. */
function isLabelValue(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/** A label key (IsQualifiedName): an optional DNS-subdomain prefix and a non-empty name. */
function isLabelKey(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  const subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
  return name !== '' && isLabelValue(name) && (prefix === undefined || (prefix.length <= 253 && subdomain.test(prefix)));
}

/**
 * The ConfigMap, the policy and the binding, as plain objects.
 * @internal
 */
export function admissionPolicyObjects(options: PolicyOptions): any[] {
  const { variables, validations } = celValidations();
  const paramsName = `${options.name}-known-sidecars`;
  const rules = [
    ...(options.matchPods ? [{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }] : []),
    ...(options.matchWorkloads ? WORKLOADS.map(w => ({ ...w, apiVersions: ['v1'], operations: ['CREATE', 'UPDATE'] })) : []),
  ].map(r => ({ apiGroups: r.apiGroups, apiVersions: r.apiVersions, operations: r.operations, resources: r.resources }));
  const labels = { 'app.kubernetes.io/managed-by': 'sidecar-first' };
  const configMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: paramsName, namespace: options.paramsNamespace, labels },
    data: knownSidecarData(options.sidecarNames, options.sidecarImages),
  };
  const policy = {
    apiVersion: API_VERSION,
    kind: 'ValidatingAdmissionPolicy',
    metadata: { name: options.name, labels },
    spec: {
      // Fail: an evaluation error (a budget exceeded) is reported, not taken for a pass; the CEL itself admits whatever it cannot decide.
      failurePolicy: 'Fail',
      paramKind: { apiVersion: 'v1', kind: 'ConfigMap' },
      matchConstraints: { resourceRules: rules },
      variables,
      validations: validations.map(v => ({
        expression: v.expression,
        messageExpression: v.messageExpression,
        // If the message cannot be built, the finding's summary.
        message: `${v.id}: ${FINDINGS[v.id].summary}`,
        reason: 'Forbidden',
      })),
    },
  };
  const binding = {
    apiVersion: API_VERSION,
    kind: 'ValidatingAdmissionPolicyBinding',
    metadata: { name: options.name, labels },
    spec: {
      policyName: options.name,
      validationActions: [...options.actions],
      // Deny: without its ConfigMap the policy would silently stop judging the legacy sidecars it knows by name.
      paramRef: { name: paramsName, namespace: options.paramsNamespace, parameterNotFoundAction: 'Deny' },
      ...(options.namespaceLabels ? { matchResources: { namespaceSelector: { matchLabels: { ...options.namespaceLabels } } } } : {}),
    },
  };
  return [configMap, policy, binding];
}
