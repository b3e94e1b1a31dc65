import { ApiObject } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { ISidecarFirst } from './i-sidecar-first';
import { SidecarFirstOptions } from './sidecar-first-options';
import { gatePodObject } from '../private/compiler/patch-api-object';
import { declarationError, show } from '../private/errors';
import { POD_SPEC_POINTER } from '../private/rules/pod-template';

/**
 * Gates sidecars on workloads that already exist, without replacing them.
 */
export class SidecarFirst {
  /**
   * Gates sidecars on a workload created elsewhere: a Deployment, StatefulSet,
   * DaemonSet, Job, CronJob or Pod of any cdk8s-plus major (27 to 34), a
   * generated `Kube*` object, or any construct whose default child is an
   * `ApiObject` with a pod template. The output is the same as the
   * SidecarFirst* constructs', written through JSON patches on
   * `ApiObject.of(workload)` when the app is synthesized, so containers added
   * to the workload later count.
   *
   * Unlike the SidecarFirst* constructs, the sidecars get only what was
   * declared: none of cdk8s-plus's container defaults (resources, security
   * context, imagePullPolicy).
   *
   * @param workload the workload; it must not have sidecar-first sidecars already
   */
  public static attach(workload: IConstruct, options: SidecarFirstOptions = {}): ISidecarFirst {
    const apiObject = podObjectOf(workload);
    // cdk8s-plus workloads (every major) have addInitContainer; their rendering has its quirks.
    const renderedByKplus = apiObject !== workload && 'addInitContainer' in workload;
    return gatePodObject({ scope: workload, apiObject, renderedByKplus, ownConstruct: false }, options);
  }

  /**
   * Gates sidecars on any `ApiObject` that carries a pod template, whatever
   * produced it (`cdk8s.Include` of YAML, a Helm chart, generated `Kube*`
   * classes), through JSON patches: `SidecarFirst.attach()` for an ApiObject.
   *
   * The patches are written when the app is synthesized, from the pod
   * template as it is then; they only insert containers, volumes and
   * annotations, and never change the object's own. If the object's
   * serializer drops a field the sidecars need (a class generated for
   * Kubernetes 1.27 drops `restartPolicy`), synthesis fails and says so.
   *
   * Kinds: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * ReplicationController, Job, CronJob.
   */
  public static patch(apiObject: ApiObject, options: SidecarFirstOptions = {}): ISidecarFirst {
    if (!ApiObject.isApiObject(apiObject)) {
      throw declarationError('SidecarFirst.patch', 'apiObject', `is ${show(apiObject)}, which is not a cdk8s ApiObject`,
        'Pass an ApiObject with a pod template (e.g. one of Include.apiObjects), or use SidecarFirst.attach() for a construct');
    }
    return gatePodObject({ scope: apiObject, apiObject, renderedByKplus: false, ownConstruct: false }, options);
  }

  private constructor() {}
}

/** The ApiObject that carries a construct's pod template, or a declaration error saying there is none. */
function podObjectOf(workload: IConstruct): ApiObject {
  if (!Construct.isConstruct(workload)) {
    throw declarationError('SidecarFirst.attach', 'workload', `is ${show(workload)}, which is not a construct`,
      'Pass the workload construct (a Deployment, StatefulSet, DaemonSet, Job, CronJob or Pod of any cdk8s-plus version), or its ApiObject');
  }
  const path = workload.node.path;
  let apiObject: ApiObject;
  try {
    apiObject = ApiObject.of(workload);
  } catch {
    throw declarationError(path, 'workload', 'has no ApiObject (no default child named "Resource" or "Default")',
      'Attach to a pod-bearing workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) of any cdk8s-plus version, or to its ApiObject');
  }
  if (!POD_SPEC_POINTER[apiObject.kind]) {
    throw declarationError(path, 'workload', `is a ${apiObject.kind}, which carries no pod template`,
      `Attach to one of ${Object.keys(POD_SPEC_POINTER).join(', ')}`);
  }
  return apiObject;
}
