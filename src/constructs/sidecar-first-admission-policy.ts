import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { targetVersion } from '../private/declare/choose-gate';
import { declarationError, show } from '../private/errors';
import { admissionPolicyObjects, checkPolicyOptions, PolicyAction } from '../private/policy/admission-policy';

/**
 * What the API server does with a Pod or workload that breaks a rule (the
 * binding's `validationActions`).
 */
export enum AdmissionAction {
  /** Reject the request with the findings as the message. */
  DENY = 'Deny',
  /** Admit it, and show the findings as warnings (`kubectl apply` prints them). */
  WARN = 'Warn',
  /** Admit it, and write the findings into the audit log (annotation `validation.policy.admission.k8s.io/validation_failure`). */
  AUDIT = 'Audit',
}

/**
 * Props of `SidecarFirstAdmissionPolicy`.
 */
export interface SidecarFirstAdmissionPolicyProps {
  /**
   * What the API server does when a sidecar breaks a rule. DENY cannot be
   * combined with WARN (the API server refuses it); AUDIT combines with either.
   *
   * @default [AdmissionAction.WARN, AdmissionAction.AUDIT] - see before you enforce
   */
  readonly actions?: AdmissionAction[];

  /**
   * Only namespaces with all of these labels are judged (the binding's
   * `namespaceSelector.matchLabels`).
   *
   * @default - every namespace
   */
  readonly namespaceLabels?: { [key: string]: string };

  /**
   * Judge Pods on CREATE: what the kubelet will run, after every mutating
   * webhook (sidecar injectors included). The authoritative check.
   *
   * @default true
   */
  readonly matchPods?: boolean;

  /**
   * Also judge the pod templates of Deployments, StatefulSets, DaemonSets,
   * ReplicaSets, Jobs and CronJobs on CREATE and UPDATE: earlier feedback,
   * before any Pod exists (but before injection: an injected sidecar is only
   * seen on the Pod).
   *
   * @default true
   */
  readonly matchWorkloads?: boolean;

  /**
   * Name of the ValidatingAdmissionPolicy and its binding; the known-sidecar
   * ConfigMap is named `NAME-known-sidecars`.
   *
   * @default "sidecar-first"
   */
  readonly name?: string;

  /**
   * Namespace of the known-sidecar ConfigMap (the policy's parameters).
   *
   * @default "kube-system"
   */
  readonly paramsNamespace?: string;

  /**
   * Container names of your own sidecars in `spec.containers`, added to the
   * known-sidecar ConfigMap (operators can also edit the ConfigMap: the
   * policy reads it at every request).
   *
   * @default - the library's table only (istio-proxy, linkerd-proxy, cloud-sql-proxy, ...)
   */
  readonly sidecarNames?: string[];

  /**
   * Image repositories of your own sidecars, without registry and tag
   * (`my-org/my-proxy` matches `registry.example/my-org/my-proxy:1.2`), added
   * to the known-sidecar ConfigMap.
   *
   * @default - the library's table only
   */
  readonly sidecarImages?: string[];

  /**
   * The cluster's Kubernetes version: below 1.30 the API server serves no
   * admissionregistration.k8s.io/v1 policy, and the construct refuses.
   *
   * @default - the construct context value `sidecar-first:kubernetesVersion`, else the
   * environment variable SIDECAR_FIRST_KUBERNETES_VERSION; without one, 1.30 or later is assumed
   */
  readonly kubernetesVersion?: string;
}

/**
 * The kubelet rules that CEL can decide, enforced by the API server: a
 * ValidatingAdmissionPolicy, its binding, and a ConfigMap of known sidecars
 * (its parameters) that operators extend without editing the policy.
 * Where CEL cannot decide (does a shell script poll?), the policy admits:
 * see docs/admission-policy.md.
 */
export class SidecarFirstAdmissionPolicy extends Construct {
  /** The ValidatingAdmissionPolicy. */
  public readonly policy: ApiObject;
  /** The ValidatingAdmissionPolicyBinding. */
  public readonly binding: ApiObject;
  /** The known-sidecar ConfigMap (the policy's parameters). */
  public readonly knownSidecars: ApiObject;

  constructor(scope: Construct, id: string, props: SidecarFirstAdmissionPolicyProps = {}) {
    super(scope, id);
    const where = this.node.path;
    const actions = props.actions ?? [AdmissionAction.WARN, AdmissionAction.AUDIT];
    const known = Object.values(AdmissionAction) as string[];
    for (const action of actions) {
      if (!known.includes(action)) {
        throw declarationError(where, 'actions', `holds ${show(action)}, which is not an AdmissionAction`, 'Use AdmissionAction.DENY, WARN or AUDIT');
      }
    }
    const target = targetVersion(this, props.kubernetesVersion);
    const options = {
      name: props.name ?? 'sidecar-first',
      actions: actions as PolicyAction[],
      namespaceLabels: props.namespaceLabels,
      matchPods: props.matchPods ?? true,
      matchWorkloads: props.matchWorkloads ?? true,
      paramsNamespace: props.paramsNamespace ?? 'kube-system',
      sidecarNames: props.sidecarNames ?? [],
      sidecarImages: props.sidecarImages ?? [],
      version: target.version,
      versionField: target.field,
    };
    checkPolicyOptions(where, options);
    const [configMap, policy, binding] = admissionPolicyObjects(options).map((o, i) => new ApiObject(this, ['KnownSidecars', 'Policy', 'Binding'][i], o));
    this.knownSidecars = configMap;
    this.policy = policy;
    this.binding = binding;
  }
}
