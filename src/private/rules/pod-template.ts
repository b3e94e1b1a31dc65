/* eslint-disable @typescript-eslint/no-explicit-any */
import { ManifestPodSpec } from './kubelet-rules';

/**
 * Records each sidecar's `jobExit` in the pod template, as a JSON object from
 * sidecar name to text: one key, valid whatever the sidecar names are. The
 * compiler writes it; the analyzer reads it (a declared exit answers S3).
 * @internal
 */
export const JOB_EXIT_ANNOTATION = 'sidecar-first.dev/job-exit';

/**
 * Where each built-in pod-bearing kind keeps its pod spec, as a JSON pointer
 * (what SidecarFirst.patch can patch). Other kinds are found by shape.
 * @internal
 */
export const POD_SPEC_POINTER: { readonly [kind: string]: string } = {
  Pod: '/spec',
  Deployment: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  DaemonSet: '/spec/template/spec',
  ReplicaSet: '/spec/template/spec',
  ReplicationController: '/spec/template/spec',
  Job: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

/**
 * Where a pod template sits in a document of any kind, most specific first;
 * `job`: the pod runs under a Job controller (its restarts count toward
 * backoffLimit). A CronJob, an Argo Rollout, a Knative Service, an OpenShift
 * DeploymentConfig, a KEDA ScaledJob, a PodTemplate all match one of these.
 */
const SHAPES: ReadonlyArray<{ readonly pointer: string; readonly job: boolean }> = [
  { pointer: '/spec/jobTemplate/spec/template/spec', job: true },
  { pointer: '/spec/jobTargetRef/template/spec', job: true },
  { pointer: '/spec/template/spec', job: false },
  { pointer: '/template/spec', job: false },
  { pointer: '/spec', job: false },
];

/** Fields only a Job's spec has, next to its template. */
const JOB_FIELDS = ['backoffLimit', 'completions', 'parallelism', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished'];

function at(doc: any, pointer: string): any {
  return pointer.split('/').slice(1).reduce((o: any, key) => (o === null || typeof o !== 'object' ? undefined : o[key]), doc);
}

/**
 * A document's pod template: its pod spec, the pod's own metadata, whether a
 * Job controller runs it, and where the pod spec is (`spec.template.spec`).
 * @internal
 */
export interface PodTemplate {
  readonly spec: ManifestPodSpec;
  readonly metadata: any;
  readonly job: boolean;
  readonly path: string;
}

/**
 * The pod template of a document of any kind: a built-in kind's, else the
 * first place that holds an object with `containers`; undefined when none does.
 * @internal
 */
export function podTemplateOf(doc: any): PodTemplate | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return undefined;
  }
  const known = typeof doc.kind === 'string' && Object.prototype.hasOwnProperty.call(POD_SPEC_POINTER, doc.kind) ? POD_SPEC_POINTER[doc.kind] : undefined;
  const shape = known !== undefined
    ? { pointer: known, job: known.includes('jobTemplate') }
    : SHAPES.find(s => {
      const spec = at(doc, s.pointer);
      return spec !== null && typeof spec === 'object' && 'containers' in spec;
    });
  const spec = shape ? at(doc, shape.pointer) : undefined;
  if (!shape || spec === undefined) {
    return undefined;
  }
  const parent = at(doc, shape.pointer.replace(/\/template\/spec$|\/spec$/, '')) ?? {};
  const job = shape.job || doc.kind === 'Job' || (typeof parent === 'object' && JOB_FIELDS.some(f => f in parent));
  return { spec, metadata: at(doc, shape.pointer.replace(/\/spec$/, '/metadata')), job, path: shape.pointer.slice(1).replace(/\//g, '.') };
}

/**
 * Every pod template of a document: the one podTemplateOf finds, else those
 * of a workload that nests them deeper, found by shape at any depth (JobSet's
 * `spec.replicatedJobs[0].template.spec.template.spec`, Kubeflow's
 * `spec.pytorchReplicaSpecs.Worker.template.spec`, RayCluster's
 * `spec.headGroupSpec.template.spec` and `spec.workerGroupSpecs[0].template.spec`):
 * a `spec` whose `containers` are objects with a name or an image. Argo
 * Workflows' templates hold single containers that Argo's own executor runs,
 * not pod specs: they are not analyzed.
 * @internal
 */
export function podTemplatesOf(doc: any): PodTemplate[] {
  const first = podTemplateOf(doc);
  if (first || doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return first ? [first] : [];
  }
  const found: PodTemplate[] = [];
  const search = (value: any, path: string, parent: any, depth: number) => {
    // Deeper than any real workload, and safe from cycles (YAML aliases).
    if (depth > MAX_TEMPLATE_DEPTH || value === null || typeof value !== 'object') {
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((v, i) => search(v, `${path}[${i}]`, parent, depth + 1));
      return;
    }
    for (const key of Object.keys(value)) {
      const child = value[key];
      const where = `${path}${path ? '.' : ''}${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : `[${JSON.stringify(key)}]`}`;
      if (depth === 0 && (key === 'metadata' || key === 'status')) {
        continue;
      }
      if (key === 'spec' && isPodSpec(child)) {
        // A template of a template (JobSet's Job templates) runs its pods under a Job controller.
        const job = (parent !== null && typeof parent === 'object' && JOB_FIELDS.some(f => f in parent)) || /\.template\.spec\.template$/.test(path);
        found.push({ spec: child, metadata: value.metadata, job, path: where });
      } else {
        search(child, where, value, depth + 1);
      }
    }
  };
  search(doc, '', undefined, 0);
  return found;
}

const MAX_TEMPLATE_DEPTH = 32;

function isPodSpec(spec: any): boolean {
  return spec !== null && typeof spec === 'object' && Array.isArray(spec.containers) && spec.containers.length > 0
    && spec.containers.every((c: any) => c !== null && typeof c === 'object' && (typeof c.name === 'string' || typeof c.image === 'string'));
}

/**
 * The pod spec of a pod-bearing manifest; undefined for other kinds.
 * @internal
 */
export function podSpecOf(doc: any): ManifestPodSpec | undefined {
  return podTemplateOf(doc)?.spec;
}

/**
 * The items of a List (any object whose `items` is an array, as kubectl
 * reads it), Lists in Lists too, or the document itself.
 * @internal
 */
export function expandList(doc: any): any[] {
  return isList(doc) ? doc.items.flatMap(expandList) : [doc];
}

/**
 * Whether a document is a List: kubectl reads any object whose `items` is an
 * array as one (apimachinery's Unstructured.IsList), and applies its items.
 * @internal
 */
export function isList(value: any): boolean {
  return value !== null && typeof value === 'object' && Array.isArray(value.items);
}
