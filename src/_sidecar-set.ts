import * as kplus from 'cdk8s-plus-28';
import { GateChoice, chooseGate } from './_choose-gate';
import { compilePodSpec } from './_compiler';
import { assertUniqueContainerNames, podContainerNames } from './_container-names';
import { DeclaredSidecar, declareSidecar } from './_declare-sidecar';
import { declarationError } from './_errors';
import { SidecarProps } from './sidecar';
import { SidecarFirstOptions } from './sidecar-first-options';

/** Default of `SidecarFirstOptions.pollInterval`: Istio polls every 500 ms, Linkerd backs off from 1 s. */
const DEFAULT_POLL_INTERVAL_MS = 250;

/**
 * The sidecars of one pod-bearing construct: chooses the gate, validates each
 * declaration when it is made and hands them to the compiler at synthesis.
 * Every construct of the library delegates to one of these, so they share
 * one behaviour.
 * @internal
 */
export class SidecarSet {
  /** The gate and target version, chosen at construction. */
  public readonly choice: GateChoice;
  private readonly declared: DeclaredSidecar[] = [];
  private readonly pollIntervalMs: number;

  constructor(private readonly host: kplus.AbstractPod, private readonly options: SidecarFirstOptions) {
    this.choice = chooseGate(host, options.kubernetesVersion, options.startupGate);
    this.pollIntervalMs = options.pollInterval?.toMilliseconds() ?? DEFAULT_POLL_INTERVAL_MS;
    if (this.pollIntervalMs < 10 || this.pollIntervalMs > 60_000) {
      throw declarationError(host.node.path, 'pollInterval', `is ${this.pollIntervalMs} ms, outside 10 ms-60 s`,
        'Use a poll interval from Duration.millis(10) to Duration.seconds(60); the default, 250 ms, suits most sidecars');
    }
    (options.sidecars ?? []).forEach(s => this.add(s));
  }

  /** Validates and records a sidecar; throws, recording nothing, on any error. */
  public add(props: SidecarProps): void {
    const sidecar = declareSidecar(this.host.node.path, this.declared.length, props, this.choice.gate);
    assertUniqueContainerNames(this.host.node.path, podContainerNames(
      [...this.declared, sidecar].map(s => s.name),
      this.host.initContainers.map(c => c.name),
      this.host.containers.map(c => c.name),
    ));
    this.declared.push(sidecar);
  }

  /** The pod spec the kubelet should run, from the app's pod spec. */
  public compile(app: kplus.k8s.PodSpec): kplus.k8s.PodSpec {
    return compilePodSpec(app, {
      path: this.host.node.path,
      sidecars: this.declared,
      gate: this.choice.gate,
      pollIntervalMs: this.pollIntervalMs,
      waitToolImage: this.options.waitToolImage,
    });
  }
}
