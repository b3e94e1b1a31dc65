import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { ISidecarFirst } from './i-sidecar-first';
import { SidecarFirstOptions } from './sidecar-first-options';
import { patchApiObject } from '../private/compiler/patch-api-object';
import { kplusHost, SidecarSet } from '../private/declare/sidecar-set';

/**
 * Gates sidecars on workloads that already exist, without replacing them.
 */
export class SidecarFirst {
  /**
   * Gates sidecars on a cdk8s-plus-28 workload created elsewhere (Deployment,
   * StatefulSet, DaemonSet, Job, CronJob or Pod). The workload keeps
   * rendering its own pod spec, so containers added to it later count; the
   * sidecars are compiled into it at synthesis, as for `SidecarFirstDeployment`.
   *
   * @param workload the workload; it must not have sidecar-first sidecars already
   */
  public static attach(workload: kplus.AbstractPod, options: SidecarFirstOptions = {}): ISidecarFirst {
    const set = new SidecarSet(kplusHost(workload), options);
    // The same wrapping the SidecarFirst* constructs do by overriding _toPodSpec.
    const render = workload._toPodSpec.bind(workload);
    workload._toPodSpec = () => set.compile(render());
    return set;
  }

  /**
   * Gates sidecars on any `ApiObject` that carries a pod template, whatever
   * produced it (`cdk8s.Include` of YAML, a Helm chart, another cdk8s-plus
   * version, generated `Kube*` classes), through JSON patches.
   *
   * The patches are written when the app is synthesized, from the pod
   * template as it is then; they only insert containers and volumes, and
   * never change the object's own. If the object's serializer drops a field
   * the sidecars need (a class generated for Kubernetes 1.27 drops
   * `restartPolicy`), synthesis fails and says so.
   *
   * Kinds: Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
   * ReplicationController, Job, CronJob.
   */
  public static patch(apiObject: ApiObject, options: SidecarFirstOptions = {}): ISidecarFirst {
    return patchApiObject(apiObject, options);
  }

  private constructor() {}
}
