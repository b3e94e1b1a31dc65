import * as kplus from 'cdk8s-plus-28';
import { compilePodSpec } from './_compiler';
import { assertUniqueContainerNames, podContainerNames } from './_container-names';
import { DeclaredSidecar, declareSidecar } from './_declare-sidecar';
import { SidecarProps } from './sidecar';

/**
 * The sidecars of one pod-bearing construct: validates each declaration when
 * it is made and hands them to the compiler at synthesis. Every construct of
 * the library delegates to one of these, so they share one behaviour.
 * @internal
 */
export class SidecarSet {
  private readonly declared: DeclaredSidecar[] = [];

  constructor(private readonly host: kplus.AbstractPod, sidecars: readonly SidecarProps[] = []) {
    sidecars.forEach(s => this.add(s));
  }

  /** Validates and records a sidecar; throws, recording nothing, on any error. */
  public add(props: SidecarProps): void {
    const sidecar = declareSidecar(this.host.node.path, this.declared.length, props);
    assertUniqueContainerNames(this.host.node.path, podContainerNames(
      [...this.declared, sidecar].map(s => s.name),
      this.host.initContainers.map(c => c.name),
      this.host.containers.map(c => c.name),
    ));
    this.declared.push(sidecar);
  }

  /** The pod spec the kubelet should run, from the app's pod spec. */
  public compile(app: kplus.k8s.PodSpec): kplus.k8s.PodSpec {
    return compilePodSpec(app, { path: this.host.node.path, sidecars: this.declared });
  }
}
