import { Finding, Gate, IfCheckNeverPasses, Placement, StartsBeforeApp } from './verdict';
import { declarationError, show } from '../private/errors';
import { apiFindings, findSidecars, judgeSidecar, PodContext } from '../private/rules/kubelet-rules';
import { KubernetesVersion, requireKubernetesVersion } from '../private/rules/kubernetes-version';
import { expandList, JOB_EXIT_ANNOTATION, podTemplatesOf } from '../private/rules/pod-template';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Options of the analyzer.
 */
export interface AnalyzeOptions {
  /**
   * Containers to treat as sidecars, besides those found by the rules
   * (native sidecars; well-known helpers such as istio-proxy, linkerd-proxy,
   * cloud-sql-proxy in `spec.containers`, wherever they sit; containers whose
   * postStart hook polls and that have containers after them) and those
   * named by the pod annotation `sidecar-first.dev/sidecars`.
   *
   * @default - none
   */
  readonly sidecars?: string[];

  /**
   * The Kubernetes version the manifests will run on (the oldest of the API
   * server and the kubelets): verdicts and findings depend on it (native
   * sidecars from 1.29, sleep hooks from 1.30, restartPolicy rules before
   * 1.35, the Job caveat fixed in 1.33.6, 1.34.2 and 1.35.0).
   *
   * @default - judged for the newest Kubernetes; what differs on older versions is reported as SF200 (info)
   */
  readonly kubernetesVersion?: string;
}

/**
 * What the kubelet will do with one sidecar of a pod (docs/kubelet-semantics.md's table of guarantees).
 */
export interface SidecarReport {
  /** The container's name. */
  readonly name: string;
  /** Where it sits: a native sidecar, in `spec.containers`, or an ordinary init container. */
  readonly placement: Placement;
  /** What holds the app until the sidecar is ready. */
  readonly gate: Gate;
  /** Whether the app starts only after the sidecar's gate. */
  readonly startsBeforeApp: StartsBeforeApp;
  /** Whether the app starts only once the sidecar's readiness check has passed (errors among `findings` say why not). */
  readonly appWaitsForReady: boolean;
  /** What happens if the sidecar's check never passes. */
  readonly ifCheckNeverPasses: IfCheckNeverPasses;
  /** What a reviewer would point out, with stable IDs. */
  readonly findings: Finding[];
}

/**
 * One pod-bearing manifest and its sidecars.
 */
export interface WorkloadReport {
  /** Index of the document in its file (or in the list given). */
  readonly document: number;
  /** The manifest's kind, whatever it is (pod templates are found by shape); empty when it has none. */
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /**
   * Where the pod spec is in the document, e.g. `spec.template.spec`, or
   * `spec.replicatedJobs[0].template.spec.template.spec` for a JobSet (a
   * document may hold several pod templates: each has its own report).
   */
  readonly podSpecPath: string;
  /**
   * `metadata.namespace`.
   * @default - none set
   */
  readonly namespace?: string;
  /** Every sidecar found, in start order. */
  readonly sidecars: SidecarReport[];
  /** What the API server would reject, or accept but drop or can never work (docs/kubelet-semantics.md V1-V5), with stable IDs. */
  readonly findings: Finding[];
  /**
   * Why the pod could not be analyzed (its containers are not a list of named objects).
   * @default - it could
   */
  readonly invalid?: string;
}

/**
 * Says, for any manifest, whether each app really waits for its sidecars to
 * be ready, by the kubelet's rules (docs/kubelet-semantics.md): the same rules the
 * library's own compiler is tested against.
 */
export class SidecarAnalyzer {
  /**
   * Pod annotation that names extra sidecars, comma-separated: `sidecar-first.dev/sidecars: a,b`.
   */
  public static readonly SIDECARS_ANNOTATION = 'sidecar-first.dev/sidecars';

  /**
   * Analyzes one pod spec, as in a manifest.
   */
  public static analyzePodSpec(spec: any, options: AnalyzeOptions = {}): SidecarReport[] {
    const where = 'SidecarAnalyzer.analyzePodSpec';
    const { named, version } = checkedOptions(where, options);
    const invalid = shapeProblem(spec);
    if (invalid) {
      throw declarationError(where, 'spec', `cannot be analyzed: ${invalid}`, 'Pass a pod spec: an object whose containers are a list of objects with a name');
    }
    return analyze(spec, named, { version });
  }

  /**
   * Analyzes manifests (parsed YAML or JSON documents). Lists (objects
   * whose `items` is an array, as kubectl reads them) are expanded, Lists in
   * Lists too; every pod template is analyzed, whatever the kind
   * (`spec.template.spec`, `spec.jobTemplate.spec.template.spec`, a Pod's
   * `spec`, and pod templates nested at any depth, as in JobSet, Kubeflow
   * training jobs or RayCluster); other documents are skipped.
   */
  public static analyzeManifests(documents: any[], options: AnalyzeOptions = {}): WorkloadReport[] {
    const where = 'SidecarAnalyzer.analyzeManifests';
    const { named, version } = checkedOptions(where, options);
    if (!Array.isArray(documents)) {
      throw declarationError(where, 'documents', `are ${show(documents)}, which is not a list`,
        'Pass the parsed documents as an array, e.g. yaml.parseAllDocuments(text).map(d => d.toJS())');
    }
    return documents.flatMap((doc, index) => expandList(doc).flatMap(item =>
      analyzeDocument(item, named, version).map(({ report }) => ({ document: index, ...report }))));
  }

  private constructor() {}
}

/** The options of a public entry point, as a JavaScript caller may get them wrong. */
function checkedOptions(where: string, options: unknown): { named: string[]; version?: KubernetesVersion } {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw declarationError(where, 'options', `are ${show(options)}, which is not an object`, 'Pass an object, e.g. { kubernetesVersion: \'1.29\' }, or leave it out');
  }
  const { sidecars, kubernetesVersion } = options as AnalyzeOptions;
  if (sidecars !== undefined && (!Array.isArray(sidecars) || !sidecars.every(s => typeof s === 'string'))) {
    throw declarationError(where, 'sidecars', `is ${show(sidecars)}, which is not a list of container names`, 'Give an array of names, e.g. sidecars: [\'proxy\']');
  }
  const version = kubernetesVersion === undefined ? undefined : requireKubernetesVersion(where, 'kubernetesVersion', kubernetesVersion);
  return { named: sidecars ?? [], version };
}

/** What makes a pod spec impossible to reason about, if anything. */
function shapeProblem(spec: any): string | undefined {
  if (spec === null || typeof spec !== 'object') {
    return 'the pod spec is not an object';
  }
  for (const field of ['containers', 'initContainers']) {
    const list = spec[field];
    if (list === undefined && field === 'initContainers') {
      continue;
    }
    if (!Array.isArray(list)) {
      return `${field} is not a list`;
    }
    const bad = list.findIndex((c: any) => c === null || typeof c !== 'object' || typeof c.name !== 'string');
    if (bad >= 0) {
      return `${field}[${bad}] is not a container with a name`;
    }
  }
  return undefined;
}

/**
 * A report on one pod template of a document (without the document's index), and its pod spec.
 * @internal
 */
export interface TemplateReport {
  readonly report: Omit<WorkloadReport, 'document'>;
  readonly spec: any;
}

/**
 * One report per pod template of a document; none when it carries none.
 * @internal
 */
export function analyzeDocument(item: any, named: readonly string[], version: KubernetesVersion | undefined): TemplateReport[] {
  return podTemplatesOf(item).map(template => {
    const namespace = typeof item.metadata?.namespace === 'string' ? item.metadata.namespace : undefined;
    const workload = {
      kind: typeof item.kind === 'string' ? item.kind : '',
      name: typeof item.metadata?.name === 'string' ? item.metadata.name : '',
      ...(namespace !== undefined ? { namespace } : {}),
      podSpecPath: template.path,
    };
    const invalid = shapeProblem(template.spec);
    if (invalid) {
      return { report: { ...workload, sidecars: [], findings: [], invalid }, spec: template.spec };
    }
    const annotation = template.metadata?.annotations?.[SidecarAnalyzer.SIDECARS_ANNOTATION];
    const annotated = typeof annotation === 'string' ? annotation.split(',').map(s => s.trim()).filter(Boolean) : [];
    return {
      report: {
        ...workload,
        sidecars: analyze(template.spec, [...named, ...annotated], { version, job: template.job, declaredExits: declaredExits(template.metadata) }),
        findings: apiFindings(template.spec, version),
      },
      spec: template.spec,
    };
  });
}

/** The sidecars whose exit the library recorded (`jobExit`), from the pod's annotation; none if it is not a JSON map. */
function declaredExits(metadata: any): string[] {
  const annotation = metadata?.annotations?.[JOB_EXIT_ANNOTATION];
  if (typeof annotation !== 'string') {
    // Most pods: no annotation (JSON.parse would throw, a cost on every document).
    return [];
  }
  try {
    const exits = JSON.parse(annotation);
    return exits !== null && typeof exits === 'object' && !Array.isArray(exits) ? Object.keys(exits) : [];
  } catch {
    return [];
  }
}

function analyze(spec: any, named: readonly string[], context: PodContext): SidecarReport[] {
  const sidecars = findSidecars(spec, named);
  return sidecars.map(name => judgeSidecar(spec, name, sidecars, context.version, context));
}
