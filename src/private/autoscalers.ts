import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { SidecarSet } from './declare/sidecar-set';
import { declarationError, show, sidecarLocation } from './errors';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A gated workload, as an autoscaler's scaleTargetRef names it.
 */
interface Gated {
  readonly apiObject: ApiObject;
  readonly set: SidecarSet;
}

/** The gated workloads of each app (construct tree root). */
const GATED = new WeakMap<IConstruct, Gated[]>();

/** How a resource name of the API reads in cdk8s-plus's `ContainerResources`. */
const RESOURCE_FIELDS: { readonly [resource: string]: keyof kplus.ContainerResources } = {
  'cpu': 'cpu',
  'memory': 'memory',
  'ephemeral-storage': 'ephemeralStorage',
};

/**
 * Makes synthesis fail when a HorizontalPodAutoscaler of the app scales the
 * workload on the utilization of a resource that one of its sidecars does
 * not request. The autoscaler computes utilization against the sum of the
 * requests of every container and every native sidecar (restartable init
 * container) of the pod, and without one of them it does not scale at all
 * ("missing request for cpu in container proxy": kube-controller-manager's
 * calculatePodRequests, Kubernetes 1.29+). Autoscalers are found when the app
 * is synthesized, whatever created them (cdk8s-plus of any major, a
 * generated class, included YAML): any ApiObject of kind HorizontalPodAutoscaler.
 * @internal
 */
export function checkAutoscalers(apiObject: ApiObject, set: SidecarSet): void {
  const root = apiObject.node.root;
  let gated = GATED.get(root);
  if (!gated) {
    gated = [];
    GATED.set(root, gated);
    const all = gated;
    // One check per app, however many workloads: the autoscalers are searched for once per synthesis.
    root.node.addValidation({ validate: () => autoscalerProblems(root, all) });
  }
  gated.push({ apiObject, set });
}

function autoscalerProblems(root: IConstruct, gated: readonly Gated[]): string[] {
  const problems: string[] = [];
  for (const hpa of root.node.findAll()) {
    if (!ApiObject.isApiObject(hpa) || hpa.kind !== 'HorizontalPodAutoscaler') {
      continue;
    }
    let doc: any;
    try {
      doc = hpa.toJson();
    } catch {
      continue; // the autoscaler's own validation reports what is wrong with it
    }
    const ref = doc?.spec?.scaleTargetRef ?? {};
    const namespace = doc?.metadata?.namespace;
    const metrics = utilizationMetrics(doc?.spec);
    for (const { apiObject, set } of gated) {
      if (apiObject.kind !== ref.kind || apiObject.name !== ref.name || apiObject.metadata.namespace !== namespace) {
        continue;
      }
      for (const metric of metrics) {
        for (const [sidecar, resources] of set.sidecarResources()) {
          if (metric.container !== undefined && metric.container !== sidecar) {
            continue;
          }
          const field = RESOURCE_FIELDS[metric.resource];
          if (field && (resources?.[field] as { request?: unknown } | undefined)?.request !== undefined) {
            continue;
          }
          problems.push(declarationError(sidecarLocation(set.path, sidecar), `resources.${field ?? show(metric.resource)}.request`,
            `is not set, and HorizontalPodAutoscaler ${show(doc?.metadata?.name)} (${hpa.node.path}) scales this workload on ${metric.resource} utilization: `
            + `the autoscaler sums the requests of every container, sidecars included, and without this one it does not scale at all ("missing request for ${metric.resource} in container ${sidecar}")`,
            `Give the sidecar a request, e.g. resources: ${field === 'cpu' ? '{ cpu: { request: Cpu.millis(100) } }' : `{ ${field ?? 'memory'}: { request: Size.mebibytes(64) } }`}`
            + ', or scale on a metric with an AverageValue target').message);
        }
      }
    }
  }
  return problems;
}

/**
 * The resources an autoscaler scales on by utilization (a percentage of the
 * requests), and the container each one is limited to, if any: autoscaling/v2
 * Resource and ContainerResource metrics, autoscaling/v1's CPU target.
 */
function utilizationMetrics(spec: any): Array<{ resource: string; container?: string }> {
  if (typeof spec?.targetCPUUtilizationPercentage === 'number') {
    return [{ resource: 'cpu' }];
  }
  const metrics: any[] = Array.isArray(spec?.metrics) ? spec.metrics : [];
  return metrics.flatMap(m => {
    const source = m?.type === 'Resource' ? m.resource : m?.type === 'ContainerResource' ? m.containerResource : undefined;
    if (source?.target?.type !== 'Utilization' || typeof source.name !== 'string') {
      return [];
    }
    return [{ resource: source.name, container: m.type === 'ContainerResource' ? source.container : undefined }];
  });
}
