import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { AppPod, appPodOf, mergeVolumes, planPod, PodDeclaration, PodPlan } from './compiler';
import { Severity } from '../../analyzer/verdict';
import { SidecarFirstOptions } from '../../constructs/sidecar-first-options';
import { StartupGate } from '../../constructs/startup-gate';
import { checkAutoscalers } from '../autoscalers';
import { checkContainerPorts } from '../declare/declare-sidecar';
import { SidecarSet } from '../declare/sidecar-set';
import { declarationError, show } from '../errors';
import { apiViolations, findSidecars, isNativeSidecar, judgeSidecar, ManifestPodSpec } from '../rules/kubelet-rules';
import { POD_SPEC_POINTER, podSpecOf, podTemplateOf } from '../rules/pod-template';
import { withSidecarPorts } from '../sidecar-ports';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A pod-bearing object to gate sidecars on, and what the library knows about it.
 * @internal
 */
export interface GateTarget {
  /** The construct the user named: construct path and context. */
  readonly scope: IConstruct;
  /** The object the patches go into. */
  readonly apiObject: ApiObject;
  /**
   * Rendered by cdk8s-plus (any major). cdk8s-plus refuses an explicit
   * startupProbe on an ordinary init container, so one there is its implicit
   * TCP probe on `portNumber`, which the API server rejects: it is removed.
   */
  readonly renderedByKplus: boolean;
  /**
   * One of the library's SidecarFirst* constructs: its sidecars keep
   * cdk8s-plus's defaults like its other containers, and its serializer is
   * cdk8s-plus-28's (Kubernetes 1.28 types), which keeps every field the
   * plan writes when `canSleepAction` is false.
   */
  readonly ownConstruct: boolean;
  /**
   * The pod as far as the emitter needs it, read without rendering the
   * object; without it, the object is rendered (`toJson()`).
   */
  readonly shape?: () => PodShape;
  /** The pod's container names, read without rendering (checked at each declaration). */
  readonly names?: () => AppPod;
}

/**
 * What the emitter needs of a pod: its spec (the pod's own containers may be
 * stubs with only the fields the emitter and the rules read) and its metadata.
 * @internal
 */
export interface PodShape {
  readonly spec: ManifestPodSpec;
  /** The pod template's metadata; read only when annotations are to be written. */
  metadata(): any;
}

/**
 * The one emitter: gates sidecars on any ApiObject with a pod template
 * through JSON patches (public cdk8s API), written when the app is
 * synthesized (cdk8s validates every construct just before it serializes
 * them), from the pod template as it is then. The patched pod is then checked
 * by the kubelet rules: a declared sidecar that does not hold the app back,
 * or anything the API server would reject, fails synthesis.
 * @internal
 */
export function gatePodObject(target: GateTarget, options: SidecarFirstOptions): SidecarSet {
  const { apiObject } = target;
  const pointer = POD_SPEC_POINTER[apiObject.kind];
  if (!pointer) {
    throw declarationError(target.scope.node.path, 'kind', `is ${show(apiObject.kind)}, which carries no pod template`,
      `Gate sidecars on one of ${Object.keys(POD_SPEC_POINTER).join(', ')}`);
  }
  // Generated classes (KubeDeployment...) apply patches to their typed form, then serialize it:
  // patch values must then be typed (IntOrString...), and unknown fields are dropped.
  const typed = Object.getPrototypeOf(apiObject).toJson !== ApiObject.prototype.toJson;
  let problems: string[] | undefined;
  const shapeOf = (): PodShape => {
    const shape = target.shape?.() ?? renderedShape(apiObject.toJson());
    return { ...shape, spec: checkedSpec(target, shape.spec) };
  };
  const set = new SidecarSet({
    scope: target.scope,
    target: apiObject,
    runsToCompletion: apiObject.kind === 'Job' || apiObject.kind === 'CronJob',
    canSleepAction: !typed,
    kplusDefaults: target.ownConstruct,
    currentPod: () => {
      if (problems) {
        throw declarationError(target.scope.node.path, 'sidecars', 'cannot be added after the app was synthesized', 'Declare every sidecar before synth()');
      }
      return target.names?.() ?? appPodOf(shapeOf().spec);
    },
  }, options);
  checkAutoscalers(apiObject, set);
  apiObject.node.addValidation({
    validate: () => {
      if (!problems) {
        const { spec, metadata } = shapeOf();
        const declaration = set.declaration();
        const plan = planPod(appPodOf(spec), declaration);
        const pod = { spec, metadata: Object.keys(plan.annotations).length > 0 ? metadata() : undefined };
        const written = podPatches(target, pointer, pod, plan, typed ? TYPED : MANIFEST);
        apiObject.addJsonPatch(...written);
        // The output as the API server will get it: rendered again where a serializer we do not know
        // may drop fields; the patches applied to the manifest read for an untyped object; for our own
        // constructs (cdk8s-plus-28's serializer keeps every field written), the plan laid out as the
        // patches lay it out, in the form the rules read.
        const output = !typed ? podSpecOf(JsonPatch.apply(podDocument(apiObject.kind, pointer, pod), ...written))!
          : target.ownConstruct ? plannedPod(spec, plan, target.renderedByKplus) : podSpecOf(apiObject.toJson())!;
        problems = outputProblems(output, declaration);
      }
      return problems;
    },
  });
  return set;
}

function renderedShape(doc: any): PodShape {
  const template = podTemplateOf(doc)!;
  return { spec: template.spec, metadata: () => template.metadata };
}

/** The pod's spec and, when annotations are written, its metadata. */
interface PodParts {
  readonly spec: ManifestPodSpec;
  readonly metadata?: any;
}

/**
 * The pod the patches write, as PodPlan lays it out, in the form the rules
 * read: the plan's containers around the pod's own, without cdk8s-plus's
 * implicit startupProbe on ordinary init containers.
 */
function plannedPod(spec: ManifestPodSpec, plan: PodPlan, renderedByKplus: boolean): ManifestPodSpec {
  const own = (spec.initContainers ?? []).map(c => (renderedByKplus && !isNativeSidecar(c) ? { ...c, startupProbe: undefined } : c));
  return {
    ...spec,
    initContainers: [...plan.initBefore.map(RULES.container), ...own, ...plan.initAfter.map(RULES.container)],
    containers: [...plan.containersBefore.map(RULES.container), ...spec.containers],
  };
}

/** A document of `kind` with only the pod's spec and metadata, to apply the patches to. */
function podDocument(kind: string, pointer: string, pod: PodParts): any {
  const doc: any = { kind };
  const keys = pointer.split('/').slice(1);
  const parent = keys.slice(0, -1).reduce((o, key) => (o[key] = {}), doc);
  parent.spec = pod.spec;
  if (pod.metadata !== undefined) {
    parent.metadata = pod.metadata;
  }
  return doc;
}

/**
 * The sidecars of a SidecarFirst* construct: the same emitter, with the
 * container names read from cdk8s-plus's public API (no render per
 * declaration), and the sidecars' ports known to its network policies.
 * @internal
 */
export function gateOwnWorkload(workload: kplus.AbstractPod, options: SidecarFirstOptions): SidecarSet {
  const set = gatePodObject({
    scope: workload,
    apiObject: ApiObject.of(workload),
    renderedByKplus: true,
    ownConstruct: true,
    shape: () => kplusShape(workload),
    names: () => ({
      initContainers: workload.initContainers.map(c => c.name),
      containers: workload.containers.map(c => c.name),
      terminationGracePeriodSeconds: workload.terminationGracePeriod?.toSeconds(),
    }),
  }, options);
  withSidecarPorts(workload, set);
  return set;
}

/**
 * The pod of a cdk8s-plus-28 workload as cdk8s-plus will render it, read from
 * its public API instead of rendering it: the containers as stubs (name,
 * restartPolicy, and cdk8s-plus's implicit startupProbe on ordinary init
 * containers with a port, which it always adds and never lets be declared),
 * the volumes, the pod template's metadata.
 */
function kplusShape(workload: kplus.AbstractPod): PodShape {
  const stub = (c: kplus.Container) => ({
    name: c.name,
    ...(c.restartPolicy ? { restartPolicy: c.restartPolicy } : {}),
  });
  // The library reads these ports (Services, network policies) and cdk8s-plus gives each a probe: the API server takes 1-65535.
  const path = workload.node.path;
  workload.containers.forEach((c, i) => checkContainerPorts(`${path}: containers[${i}] ${show(c.name)}`, { ports: c.ports }));
  workload.initContainers.forEach((c, i) => checkContainerPorts(`${path}: initContainers[${i}] ${show(c.name)}`, { ports: c.ports }));
  const volumes = new Map<string, kplus.Volume>();
  for (const volume of [...workload.containers, ...workload.initContainers].flatMap(c => c.mounts.map(m => m.volume)).concat(workload.volumes)) {
    volumes.set(volume.name, volumes.get(volume.name) ?? volume);
  }
  return {
    spec: {
      containers: workload.containers.map(stub),
      initContainers: workload.initContainers.length > 0
        ? workload.initContainers.map(c => ({ ...stub(c), ...(!c.restartPolicy && c.portNumber ? { startupProbe: {} } : {}) }))
        : undefined,
      volumes: volumes.size > 0 ? [...volumes.values()].map(v => kplus.k8s.toJson_Volume(v._toKube())) : undefined,
      terminationGracePeriodSeconds: workload.terminationGracePeriod?.toSeconds(),
    },
    metadata: () => workload.podMetadata.toJson(),
  };
}

function checkedSpec(target: GateTarget, spec: ManifestPodSpec | undefined): ManifestPodSpec {
  if (!spec || !Array.isArray(spec.containers)) {
    throw declarationError(target.scope.node.path, 'pod template', 'has no containers', 'Gate sidecars on a workload whose pod template lists its containers');
  }
  return spec;
}

/** How a patch value is written: the object's typed form, or manifest JSON. */
interface Form {
  container(c: kplus.k8s.Container): any;
  volume(v: kplus.k8s.Volume): any;
}
const TYPED: Form = { container: c => c, volume: v => v };
const MANIFEST: Form = { container: containerJson, volume: v => kplus.k8s.toJson_Volume(v) };
/**
 * Only what the kubelet rules read, in manifest form: the check of a pod whose
 * serializer is known (cdk8s-plus-28's) needs no full render of each container.
 */
const RULES: Form = {
  container: c => ({
    name: c.name,
    restartPolicy: c.restartPolicy,
    startupProbe: probeJson(c.startupProbe),
    readinessProbe: probeJson(c.readinessProbe),
    livenessProbe: probeJson(c.livenessProbe),
    lifecycle: c.lifecycle && containerJson({ name: c.name, lifecycle: c.lifecycle }).lifecycle,
  }),
  volume: v => ({ name: v.name }),
};

/**
 * JSON patches that write the plan into the pod, leaving the pod's own
 * containers, volumes and annotations as they are, except cdk8s-plus's
 * implicit startupProbe on ordinary init containers.
 */
function podPatches(target: GateTarget, pointer: string, pod: PodParts, plan: PodPlan, form: Form): JsonPatch[] {
  const spec = pod.spec;
  const patches: JsonPatch[] = [];
  if (target.renderedByKplus) {
    (spec.initContainers ?? []).forEach((c, i) => {
      if (!isNativeSidecar(c) && c.startupProbe !== undefined) {
        patches.push(JsonPatch.remove(`${pointer}/initContainers/${i}/startupProbe`));
      }
    });
  }
  const addAll = <T>(array: string, present: boolean, items: readonly T[]) => {
    if (items.length > 0 && !present) {
      patches.push(JsonPatch.add(`${pointer}/${array}`, items));
    } else {
      items.forEach(item => patches.push(JsonPatch.add(`${pointer}/${array}/-`, item)));
    }
  };
  const hasInit = Array.isArray(spec.initContainers);
  plan.initBefore.forEach((c, i) => hasInit && patches.push(JsonPatch.add(`${pointer}/initContainers/${i}`, form.container(c))));
  addAll('initContainers', hasInit, [...(hasInit ? [] : plan.initBefore), ...plan.initAfter].map(c => form.container(c)));
  plan.containersBefore.forEach((c, i) => patches.push(JsonPatch.add(`${pointer}/containers/${i}`, form.container(c))));
  const existing: any[] = spec.volumes ?? [];
  // One name, one volume: sidecars may share a volume, and the pod may already have it.
  mergeVolumes(target.scope.node.path, existing, plan.volumes.map(v => MANIFEST.volume(v)));
  const added = plan.volumes.filter((v, i) => plan.volumes.findIndex(w => w.name === v.name) === i && !existing.some(e => e.name === v.name));
  addAll('volumes', Array.isArray(spec.volumes), added.map(v => form.volume(v)));
  patches.push(...annotationPatches(pointer.replace(/\/spec$/, '/metadata'), pod.metadata, plan.annotations));
  return patches;
}

/** Adds each planned annotation the pod does not set already (a user's value always wins). */
function annotationPatches(pointer: string, metadata: any, planned: { readonly [key: string]: string }): JsonPatch[] {
  const current = metadata?.annotations ?? {};
  const missing = Object.entries(planned).filter(([key]) => current[key] === undefined);
  if (missing.length === 0) {
    return [];
  }
  if (!metadata) {
    return [JsonPatch.add(pointer, { annotations: Object.fromEntries(missing) })];
  }
  if (!metadata.annotations) {
    return [JsonPatch.add(`${pointer}/annotations`, Object.fromEntries(missing))];
  }
  return missing.map(([key, value]) => JsonPatch.add(`${pointer}/annotations/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, value));
}

/** A probe in manifest form, as far as the rules read it: the typed ports as numbers. */
function probeJson(probe: kplus.k8s.Probe | undefined): any {
  return probe && {
    ...probe,
    httpGet: probe.httpGet && { ...probe.httpGet, port: probe.httpGet.port.value },
    tcpSocket: probe.tcpSocket && { ...probe.tcpSocket, port: probe.tcpSocket.port.value },
  };
}

/** A container in manifest form; the `sleep` action is newer than cdk8s-plus-28's serializer. */
function containerJson(container: kplus.k8s.Container): any {
  const json = kplus.k8s.toJson_Container(container)!;
  const sleep = (container.lifecycle?.preStop as any)?.sleep;
  return sleep ? { ...json, lifecycle: { ...json.lifecycle, preStop: { sleep } } } : json;
}

/**
 * What is wrong with the pod as it will be synthesized: a declared sidecar
 * that does not hold the app back (a serializer generated for an older
 * Kubernetes drops fields it does not know), or anything the API server rejects.
 */
function outputProblems(spec: ManifestPodSpec, pod: PodDeclaration): string[] {
  const sidecars = findSidecars(spec);
  const ungated = pod.sidecars.flatMap(s => {
    const verdict = sidecars.includes(s.name) ? judgeSidecar(spec, s.name, sidecars) : undefined;
    if (verdict?.appWaitsForReady) {
      return [];
    }
    if (verdict && gateKept(spec, s.name, pod.gate)) {
      // The gate is in the output, and the rules still say the app does not wait: say why.
      const why = verdict.findings.filter(f => f.severity === Severity.ERROR).map(f => `${f.id}: ${f.message}`).join('; ');
      return [`sidecar "${s.name}" does not hold the app back in the synthesized manifest (${why}). `
        + 'Make readinessCheck check what the sidecar\'s readiness probe checks (same kind and port), or remove readiness so that readinessCheck is used for both'];
    }
    return [`sidecar "${s.name}" does not hold the app back in the synthesized manifest: this object's serializer dropped fields it does not know `
      + (pod.gate === StartupGate.STARTUP_PROBE
        ? '(restartPolicy: a class generated for Kubernetes 1.27 or older, such as cdk8s-plus-27\'s, drops it). Use StartupGate.POST_START (or kubernetesVersion: \'1.27\'), or an object generated for Kubernetes 1.29+'
        : '(lifecycle.postStart). Use an object generated for the Kubernetes version the pods run on')];
  });
  // An ungated sidecar is the cause; the API rules it then breaks (a probe on an init container) are its symptoms.
  return ungated.length > 0 ? ungated : apiViolations(spec, pod.version).map(v => `the synthesized pod would be rejected by the API server: ${v}`);
}

/** Whether the output still has what the gate wrote: a native sidecar's restartPolicy, a legacy sidecar's postStart. */
function gateKept(spec: ManifestPodSpec, name: string, gate: StartupGate): boolean {
  return gate === StartupGate.STARTUP_PROBE
    ? (spec.initContainers ?? []).some(c => c.name === name && isNativeSidecar(c))
    : spec.containers.some(c => c.name === name && c.lifecycle?.postStart !== undefined);
}
