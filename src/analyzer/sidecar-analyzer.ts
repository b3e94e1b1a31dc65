import { annotationIgnores, applyIgnores, IGNORE_ANNOTATION, IgnoreRule, settingsIgnore } from './ignore';
import { imageMatches } from './settings';
import { ContainerRole, Finding, Gate, IfCheckNeverPasses, Placement, StartStep, StartsBeforeApp } from './verdict';
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
   * Containers to treat as sidecars by their image, as patterns where `*`
   * stands for any characters (`docker.io/fluent/fluent-bit:*`).
   *
   * @default - none
   */
  readonly sidecarImages?: string[];

  /**
   * Finding IDs to ignore everywhere: such findings are still reported, with
   * `ignored` set, but fail nothing. The annotation `sidecar-first.dev/ignore:
   * "SF102,SF105: reason"` on a workload or its pod template ignores them there.
   *
   * @default - none
   */
  readonly ignore?: string[];

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
  /** Every container of the pod in the order the kubelet starts them, with its role (empty when `invalid`). */
  readonly startSequence: StartStep[];
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
   * Workload or pod template annotation that ignores findings there:
   * `sidecar-first.dev/ignore: "SF102,SF105"`, optionally with a reason after a colon
   * (`"SF102: the proxy is ready before any request"`).
   */
  public static readonly IGNORE_ANNOTATION = IGNORE_ANNOTATION;

  /**
   * Analyzes one pod spec, as in a manifest.
   */
  public static analyzePodSpec(spec: any, options: AnalyzeOptions = {}): SidecarReport[] {
    const where = 'SidecarAnalyzer.analyzePodSpec';
    const resolved = resolveOptions(where, options);
    const invalid = shapeProblem(spec);
    if (invalid) {
      throw declarationError(where, 'spec', `cannot be analyzed: ${invalid}`, 'Pass a pod spec: an object whose containers are a list of objects with a name');
    }
    return analyze(spec, resolved, [], { version: resolved.version }, settingsIgnore(resolved.ignore));
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
    const resolved = resolveOptions(where, options);
    if (!Array.isArray(documents)) {
      throw declarationError(where, 'documents', `are ${show(documents)}, which is not a list`,
        'Pass the parsed documents as an array, e.g. yaml.parseAllDocuments(text).map(d => d.toJS())');
    }
    return documents.flatMap((doc, index) => expandList(doc).flatMap(item =>
      analyzeDocument(item, resolved).map(({ report }) => ({ document: index, ...report }))));
  }

  private constructor() {}
}

/**
 * The analyzer's options, checked.
 * @internal
 */
export interface ResolvedOptions {
  /** Containers named as sidecars. */
  readonly named: readonly string[];
  /** Image patterns of sidecars. */
  readonly images: readonly string[];
  readonly version?: KubernetesVersion;
  /** Finding IDs ignored everywhere. */
  readonly ignore: readonly string[];
}

/**
 * The options of a public entry point, as a JavaScript caller may get them wrong.
 * @internal
 */
export function resolveOptions(where: string, options: unknown): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw declarationError(where, 'options', `are ${show(options)}, which is not an object`, 'Pass an object, e.g. { kubernetesVersion: \'1.29\' }, or leave it out');
  }
  const { sidecars, sidecarImages, ignore, kubernetesVersion } = options as AnalyzeOptions;
  const lists: Array<[field: string, value: unknown, what: string, fix: string]> = [
    ['sidecars', sidecars, 'container names', 'Give an array of names, e.g. sidecars: [\'proxy\']'],
    ['sidecarImages', sidecarImages, 'image patterns', 'Give an array of patterns, e.g. sidecarImages: [\'*/fluent-bit:*\']'],
    ['ignore', ignore, 'finding IDs', 'Give an array of IDs, e.g. ignore: [\'SF113\']'],
  ];
  for (const [field, list, what, fix] of lists) {
    if (list !== undefined && (!Array.isArray(list) || !list.every(s => typeof s === 'string'))) {
      throw declarationError(where, field, `is ${show(list)}, which is not a list of ${what}`, fix);
    }
  }
  const version = kubernetesVersion === undefined ? undefined : requireKubernetesVersion(where, 'kubernetesVersion', kubernetesVersion);
  return { named: sidecars ?? [], images: sidecarImages ?? [], version, ignore: ignore ?? [] };
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
 * A report on one pod template of a document (without the document's index),
 * and what to warn about (ignore annotations that name no finding).
 * @internal
 */
export interface TemplateReport {
  readonly report: Omit<WorkloadReport, 'document'>;
  readonly warnings: string[];
}

/**
 * One report per pod template of a document; none when it carries none.
 * @internal
 */
export function analyzeDocument(item: any, options: ResolvedOptions): TemplateReport[] {
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
      return { report: { ...workload, sidecars: [], startSequence: [], findings: [], invalid }, warnings: [] };
    }
    const annotation = template.metadata?.annotations?.[SidecarAnalyzer.SIDECARS_ANNOTATION];
    const annotated = typeof annotation === 'string' ? annotation.split(',').map(s => s.trim()).filter(Boolean) : [];
    // A Pod's template is the Pod itself.
    const ignores = annotationIgnores(template.metadata === item.metadata ? [item.metadata] : [item.metadata, template.metadata]);
    const rules = [...ignores.rules, ...settingsIgnore(options.ignore)];
    const context = { version: options.version, job: template.job, declaredExits: declaredExits(template.metadata) };
    const sidecars = analyze(template.spec, options, annotated, context, rules);
    return {
      report: {
        ...workload,
        sidecars,
        startSequence: startSequence(template.spec, new Set(sidecars.map(s => s.name))),
        findings: applyIgnores(apiFindings(template.spec, options.version), rules),
      },
      warnings: ignores.unknown.map(id => `annotation ${IGNORE_ANNOTATION} names ${show(id)}, which is not a finding ID`),
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

function analyze(spec: any, options: ResolvedOptions, annotated: readonly string[], context: PodContext,
  rules: readonly IgnoreRule[]): SidecarReport[] {
  const containers: any[] = [...(spec.initContainers ?? []), ...spec.containers];
  const byImage = containers.filter(c => typeof c.image === 'string' && options.images.some(p => imageMatches(c.image, p))).map(c => c.name);
  const sidecars = findSidecars(spec, [...options.named, ...annotated, ...byImage]);
  return sidecars.map(name => {
    const report = judgeSidecar(spec, name, sidecars, context.version, context);
    return rules.length === 0 ? report : { ...report, findings: applyIgnores(report.findings, rules) };
  });
}

/** The containers of a pod in the order the kubelet starts them, with their roles. */
function startSequence(spec: any, sidecars: ReadonlySet<string>): StartStep[] {
  const step = (name: string, otherwise: ContainerRole) => ({ name, role: sidecars.has(name) ? ContainerRole.SIDECAR : otherwise });
  return [
    ...(spec.initContainers ?? []).map((c: any) => step(c.name, ContainerRole.INIT)),
    ...spec.containers.map((c: any) => step(c.name, ContainerRole.APP)),
  ];
}
