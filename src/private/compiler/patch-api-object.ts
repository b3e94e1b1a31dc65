import { ApiObject, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { appPodOf, mergeVolumes, planPod, PodPlan } from './compiler';
import { ISidecarFirst } from '../../constructs/i-sidecar-first';
import { SidecarFirstOptions } from '../../constructs/sidecar-first-options';
import { SidecarHost, SidecarSet } from '../declare/sidecar-set';
import { declarationError, show } from '../errors';
import { findSidecars, judgeSidecar, ManifestPodSpec } from '../rules/kubelet-rules';
import { POD_SPEC_POINTER, podSpecOf } from '../rules/pod-template';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Gates sidecars on any ApiObject with a pod template through JSON patches,
 * written when the app is synthesized (cdk8s validates every construct just
 * before it serializes them), from the pod template as it is then.
 * @internal
 */
export function patchApiObject(apiObject: ApiObject, options: SidecarFirstOptions): ISidecarFirst {
  const pointer = POD_SPEC_POINTER[apiObject.kind];
  if (!pointer) {
    throw declarationError(apiObject.node.path, 'kind', `is ${show(apiObject.kind)}, which carries no pod template`,
      `Patch one of ${Object.keys(POD_SPEC_POINTER).join(', ')}`);
  }
  const currentSpec = () => podSpecOf(apiObject.toJson());
  // Generated classes (KubeDeployment...) apply patches to their typed form, then serialize it:
  // patch values must then be typed (IntOrString...), and unknown fields are dropped.
  const typed = Object.getPrototypeOf(apiObject).toJson !== ApiObject.prototype.toJson;
  let written = false;
  const host: SidecarHost = {
    scope: apiObject,
    runsToCompletion: apiObject.kind === 'Job' || apiObject.kind === 'CronJob',
    canSleepAction: !typed,
    currentPod: () => {
      if (written) {
        throw declarationError(apiObject.node.path, 'sidecars', 'cannot be added after the app was synthesized', 'Declare every sidecar before synth()');
      }
      return appPodOf(checkedSpec(apiObject, currentSpec()));
    },
  };
  const set = new SidecarSet(host, options);
  apiObject.node.addValidation({
    validate: () => {
      if (!written) {
        const spec = checkedSpec(apiObject, currentSpec());
        const plan = planPod(appPodOf(spec), set.declaration());
        written = true;
        apiObject.addJsonPatch(...planPatches(apiObject.node.path, pointer, spec, plan, typed));
      }
      return notGated(currentSpec()!, set.declaration().sidecars.map(s => s.name));
    },
  });
  return set;
}

function checkedSpec(apiObject: ApiObject, spec: ManifestPodSpec | undefined): ManifestPodSpec {
  if (!spec || !Array.isArray(spec.containers)) {
    throw declarationError(apiObject.node.path, 'pod template', 'has no containers', 'Patch a workload whose pod template lists its containers');
  }
  return spec;
}

/** JSON patches that insert the plan's containers and volumes, leaving the pod's own untouched. */
function planPatches(path: string, pointer: string, spec: ManifestPodSpec, plan: PodPlan, typed: boolean): JsonPatch[] {
  const form = (c: kplus.k8s.Container) => (typed ? c : containerJson(c));
  const patches: JsonPatch[] = [];
  const init = [...plan.initBefore, ...plan.initAfter];
  if (init.length > 0 && !spec.initContainers) {
    patches.push(JsonPatch.add(`${pointer}/initContainers`, init.map(form)));
  } else {
    plan.initBefore.forEach((c, i) => patches.push(JsonPatch.add(`${pointer}/initContainers/${i}`, form(c))));
    plan.initAfter.forEach(c => patches.push(JsonPatch.add(`${pointer}/initContainers/-`, form(c))));
  }
  plan.containersBefore.forEach((c, i) => patches.push(JsonPatch.add(`${pointer}/containers/${i}`, form(c))));
  const existing: any[] = spec.volumes ?? [];
  const json = plan.volumes.map(v => kplus.k8s.toJson_Volume(v)!);
  // One name, one volume: sidecars may share a volume, and the pod may already have it.
  const added = (mergeVolumes(path, existing, json) ?? [])
    .filter(v => !existing.some(e => e.name === v.name))
    .map(v => (typed ? plan.volumes.find(p => p.name === v.name)! : v));
  if (added.length > 0 && !spec.volumes) {
    patches.push(JsonPatch.add(`${pointer}/volumes`, added));
  } else {
    added.forEach(v => patches.push(JsonPatch.add(`${pointer}/volumes/-`, v)));
  }
  return patches;
}

/** A container in manifest form; the `sleep` action is newer than cdk8s-plus-28's serializer. */
function containerJson(container: kplus.k8s.Container): any {
  const json = kplus.k8s.toJson_Container(container)!;
  const sleep = (container.lifecycle?.preStop as any)?.sleep;
  return sleep ? { ...json, lifecycle: { ...json.lifecycle, preStop: { sleep } } } : json;
}

/**
 * Whether the patched object still makes the app wait for each sidecar: a
 * serializer generated for an older Kubernetes drops fields it does not know.
 */
function notGated(spec: ManifestPodSpec, declared: readonly string[]): string[] {
  const sidecars = findSidecars(spec);
  return declared
    .filter(name => !sidecars.includes(name) || !judgeSidecar(spec, name, sidecars).appWaitsForReady)
    .map(name => `sidecar "${name}" does not hold the app back in the synthesized manifest: this object's serializer dropped fields it does not know (was it generated for Kubernetes 1.27 or older?). Use StartupGate.POST_START, or an object generated for Kubernetes 1.29+`);
}
