import * as kplus from 'cdk8s-plus-28';
import { IConstruct } from 'constructs';
import { chooseGate, GateChoice } from './choose-gate';
import { assertContainerNames, podContainerNames } from './container-names';
import { checkObject, DeclarationContext, DeclaredDependentInit, DeclaredSidecar, declareDependentInit, declareSidecar, durationMillis } from './declare-sidecar';
import { DependentInitContainerProps } from '../../constructs/dependent-init-container';
import { ISidecarFirst } from '../../constructs/i-sidecar-first';
import { SidecarProps } from '../../constructs/sidecar';
import { SidecarFirstOptions } from '../../constructs/sidecar-first-options';
import { StartupGate } from '../../constructs/startup-gate';
import { AppPod, PodDeclaration } from '../compiler/compiler';
import { declarationError, kplusError, show, sidecarLocation } from '../errors';

/** Default of `SidecarFirstOptions.pollInterval`: Istio polls every 500 ms, Linkerd backs off from 1 s. */
const DEFAULT_POLL_INTERVAL_MS = 250;

/**
 * The pod a sidecar set belongs to, whatever produced it.
 * @internal
 */
export interface SidecarHost {
  /** For the construct path in messages, and for context. */
  readonly scope: IConstruct;
  /** The object the sidecars are written into: it gets one sidecar set at most. */
  readonly target: IConstruct;
  /** A Job or CronJob. */
  readonly runsToCompletion: boolean;
  /** Whether the output can carry the lifecycle `sleep` action. */
  readonly canSleepAction: boolean;
  /** Whether the library's containers keep cdk8s-plus's defaults (see `PodDeclaration.kplusDefaults`). */
  readonly kplusDefaults: boolean;
  /** The pod's own containers, as they are now. */
  currentPod(): AppPod;
}

/** A container image reference: no whitespace, nothing empty (the API server requires an image). */
const IMAGE = /^\S+$/;

/** A list option (sidecars, dependentInitContainers), as JavaScript callers may get it wrong. */
function list<T>(path: string, field: string, value: T[] | undefined): T[] {
  if (value === undefined) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw declarationError(path, field, `is ${show(value)}, which is not a list`, `Give an array, e.g. ${field}: [{ name: '...', image: '...', ... }], or leave it out`);
  }
  return value;
}

/** Workloads that already have sidecar-first sidecars, so none gets two sets. */
const HOSTS = new WeakSet<IConstruct>();

/**
 * The sidecars of one pod: chooses the gate, validates each declaration when
 * it is made, and gives the compiler the whole declaration. Every construct
 * and attachment of the library delegates to one of these, so they all share
 * one behaviour.
 * @internal
 */
export class SidecarSet implements ISidecarFirst {
  public readonly startupGate: StartupGate;
  private readonly choice: GateChoice;
  private readonly context: DeclarationContext;
  private readonly sidecars: DeclaredSidecar[] = [];
  private readonly handles = new Map<string, kplus.Container>();
  private readonly jobExits = new Map<string, string>();
  private readonly dependentInits: DeclaredDependentInit[] = [];
  private readonly pollIntervalMs: number;

  constructor(private readonly host: SidecarHost, private readonly options: SidecarFirstOptions) {
    const path = host.scope.node.path;
    checkObject(path, 'options', options, 'sidecar-first options', '{ sidecars: [...] }');
    if (HOSTS.has(host.target)) {
      throw declarationError(path, 'sidecars', 'are already managed by cdk8s-sidecar-first for this workload',
        'Add more with addSidecar() on the object the first SidecarFirst.attach() or SidecarFirst.patch() returned (or on the SidecarFirst* construct itself)');
    }
    this.choice = chooseGate(host.scope, options.kubernetesVersion, options.startupGate);
    this.startupGate = this.choice.gate;
    this.context = { path, gate: this.choice.gate, runsToCompletion: host.runsToCompletion };
    this.pollIntervalMs = options.pollInterval === undefined ? DEFAULT_POLL_INTERVAL_MS : durationMillis(path, 'pollInterval', options.pollInterval, 'Duration.millis(250)');
    if (this.pollIntervalMs < 10 || this.pollIntervalMs > 60_000) {
      throw declarationError(path, 'pollInterval', `is ${this.pollIntervalMs} ms, outside 10 ms-60 s`,
        'Use a poll interval from Duration.millis(10) to Duration.seconds(60); the default, 250 ms, suits most sidecars');
    }
    if (options.waitToolImage !== undefined && (typeof options.waitToolImage !== 'string' || !IMAGE.test(options.waitToolImage))) {
      throw declarationError(path, 'waitToolImage', `is ${show(options.waitToolImage)}, which is not an image name`,
        'Give an image with a static busybox at /bin/busybox, e.g. waitToolImage: \'busybox:1.36-musl\', or leave it out');
    }
    list(path, 'sidecars', options.sidecars).forEach(s => this.addSidecar(s));
    list(path, 'dependentInitContainers', options.dependentInitContainers).forEach(c => this.record(c, this.dependentInits, declareDependentInit));
    HOSTS.add(host.target);
  }

  public addSidecar(sidecar: SidecarProps): kplus.Container {
    const declared = this.record(sidecar, this.sidecars, declareSidecar);
    let handle: kplus.Container;
    try {
      // The handle: mounts, env and ports added to it later are rendered at synthesis.
      handle = new kplus.Container(declared.container);
    } catch (e) {
      this.sidecars.pop();
      throw kplusError(sidecarLocation(this.context.path, declared.name), 'the sidecar\'s container', e);
    }
    this.handles.set(declared.name, handle);
    if (sidecar.jobExit !== undefined) {
      this.jobExits.set(declared.name, sidecar.jobExit);
    }
    return handle;
  }

  public addDependentInitContainer(container: DependentInitContainerProps): void {
    this.record(container, this.dependentInits, declareDependentInit);
  }

  /** The sidecars' ports, as their handles have them now. */
  public sidecarPorts(): kplus.ContainerPort[] {
    return [...this.handles.values()].flatMap(c => c.ports);
  }

  /** Each sidecar port with its sidecar's name, for messages. */
  public sidecarPortOwners(): Array<[string, number]> {
    return [...this.handles].flatMap(([name, c]) => c.ports.map(p => [name, p.number] as [string, number]));
  }

  /** The construct path, for messages. */
  public get path(): string {
    return this.context.path;
  }

  /**
   * Each sidecar's resources as they will be written: cdk8s-plus's defaults
   * for the SidecarFirst* constructs, only what was declared otherwise.
   */
  public sidecarResources(): Array<[string, kplus.ContainerResources | undefined]> {
    return this.sidecars.map(s => [s.name, this.host.kplusDefaults ? this.handles.get(s.name)!.resources : s.container.resources]);
  }

  /** Everything declared so far, for the compiler. */
  public declaration(): PodDeclaration {
    return {
      path: this.context.path,
      sidecars: this.sidecars,
      dependentInits: this.dependentInits,
      gate: this.choice.gate,
      version: this.choice.version,
      pollIntervalMs: this.pollIntervalMs,
      waitToolImage: this.options.waitToolImage,
      canSleepAction: this.host.canSleepAction,
      handles: this.handles,
      jobExits: this.jobExits,
      kplusDefaults: this.host.kplusDefaults,
    };
  }

  /** Validates and records one declaration; throws, recording nothing, on any error. */
  private record<P, D>(props: P, into: D[], declare: (context: DeclarationContext, index: number, props: P) => D): D {
    const declared = declare(this.context, into.length, props);
    into.push(declared);
    try {
      const pod = this.host.currentPod();
      assertContainerNames(this.context.path,
        podContainerNames(this.sidecars.map(s => s.name), pod.initContainers, pod.containers, this.dependentInits.map(i => i.name)));
    } catch (e) {
      into.pop();
      throw e;
    }
    return declared;
  }
}
