import { apiViolations, findSidecars, judgeSidecar } from '../private/rules/kubelet-rules';
import { KubernetesVersion, parseKubernetesVersion } from '../private/rules/kubernetes-version';
import { expandList, podMetadataOf, podSpecOf } from '../private/rules/pod-template';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Options of the analyzer.
 */
export interface AnalyzeOptions {
  /**
   * Containers to treat as sidecars, besides those found by the rules
   * (native sidecars, and regular containers with a postStart hook that have
   * containers after them) and those named by the pod annotation
   * `sidecar-first.dev/sidecars`.
   *
   * @default - none
   */
  readonly sidecars?: string[];

  /**
   * The Kubernetes version the manifests will run on (the oldest of the API
   * server and the kubelets), for the findings that depend on it.
   *
   * @default - findings that depend on the version are not reported
   */
  readonly kubernetesVersion?: string;
}

/**
 * What the kubelet will do with one sidecar of a pod (SEMANTICS.md's table).
 */
export interface SidecarReport {
  /** The container's name. */
  readonly name: string;
  /** `native` (init container with restartPolicy Always) or `legacy` (in spec.containers). */
  readonly placement: string;
  /** What holds the app until the sidecar is ready: `startupProbe`, `postStart` or `none`. */
  readonly gate: string;
  /** `yes`, or `in-parallel` when nothing holds the app back. */
  readonly startsBeforeApp: string;
  /** Whether the app starts only once the sidecar's check has passed. */
  readonly appWaitsForReady: boolean;
  /**
   * What happens if the sidecar's check never passes: `app-never-starts`,
   * `app-starts-anyway`, `app-runs-sidecar-not-ready`,
   * `app-runs-sidecar-restarted` or `no-check`.
   */
  readonly ifCheckNeverPasses: string;
  /** Problems a reviewer would point out, in words. */
  readonly findings: string[];
}

/**
 * One pod-bearing manifest and its sidecars.
 */
export interface WorkloadReport {
  /** Index of the document in its file (or in the list given). */
  readonly document: number;
  /** The manifest's kind. */
  readonly kind: string;
  /** `metadata.name`. */
  readonly name: string;
  /**
   * `metadata.namespace`.
   * @default - none set
   */
  readonly namespace?: string;
  /** Every sidecar found, in start order. */
  readonly sidecars: SidecarReport[];
  /** What the API server would reject, or accept but can never work (SEMANTICS.md V1-V5). */
  readonly findings: string[];
  /**
   * Why the pod could not be analyzed (its containers are not a list of named objects).
   * @default - it could
   */
  readonly invalid?: string;
}

/**
 * Says, for any manifest, whether each app really waits for its sidecars to
 * be ready, by the kubelet's rules (SEMANTICS.md): the same rules the
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
    const invalid = shapeProblem(spec);
    if (invalid) {
      throw new Error(`cannot analyze this pod spec: ${invalid}`);
    }
    return analyze(spec, options.sidecars ?? [], versionOf(options));
  }

  /**
   * Analyzes manifests (parsed YAML or JSON documents). `kind: List` is
   * expanded; Pod, Deployment, ReplicaSet, StatefulSet, DaemonSet, Job,
   * CronJob and ReplicationController are analyzed; other kinds are skipped.
   */
  public static analyzeManifests(documents: any[], options: AnalyzeOptions = {}): WorkloadReport[] {
    const version = versionOf(options);
    return documents.flatMap((doc, index) => expandList(doc).flatMap(item => {
      const spec = podSpecOf(item);
      if (spec === undefined) {
        return [];
      }
      const workload = {
        document: index,
        kind: item.kind,
        name: typeof item.metadata?.name === 'string' ? item.metadata.name : '',
        namespace: typeof item.metadata?.namespace === 'string' ? item.metadata.namespace : undefined,
      };
      const invalid = shapeProblem(spec);
      if (invalid) {
        return [{ ...workload, sidecars: [], findings: [], invalid }];
      }
      const annotated = String(podMetadataOf(item)?.annotations?.[SidecarAnalyzer.SIDECARS_ANNOTATION] ?? '').split(',').map(s => s.trim()).filter(Boolean);
      return [{
        ...workload,
        sidecars: analyze(spec, [...(options.sidecars ?? []), ...annotated], version),
        findings: apiViolations(spec, version),
      }];
    }));
  }

  private constructor() {}
}

function versionOf(options: AnalyzeOptions): KubernetesVersion | undefined {
  if (options.kubernetesVersion === undefined) {
    return undefined;
  }
  const version = parseKubernetesVersion(options.kubernetesVersion);
  if (!version) {
    throw new Error(`kubernetesVersion is "${options.kubernetesVersion}", which is not a Kubernetes version (e.g. 1.29, v1.28.3, 1.28.3-eks-abc)`);
  }
  return version;
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

function analyze(spec: any, named: readonly string[], version: KubernetesVersion | undefined): SidecarReport[] {
  const known = new Set([...(spec.initContainers ?? []), ...spec.containers].map((c: any) => c?.name));
  const sidecars = findSidecars(spec, named.filter(n => known.has(n)));
  return sidecars.map(name => judgeSidecar(spec, name, sidecars, version));
}
