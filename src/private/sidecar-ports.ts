import * as kplus from 'cdk8s-plus-28';
import { SidecarSet } from './declare/sidecar-set';
import { declarationError, show } from './errors';

/**
 * The sidecars of each SidecarFirst* construct, so that a peer's sidecar
 * ports are known to `connections.allowTo()`.
 */
const SETS = new WeakMap<object, SidecarSet>();

/**
 * Every port of a workload: its sidecars' (which cdk8s-plus does not see, as
 * they are not in `workload.containers`) and its containers'.
 */
function podPorts(workload: kplus.AbstractPod, set: SidecarSet): kplus.ContainerPort[] {
  return [...set.sidecarPorts(), ...workload.containers.flatMap(c => c.ports)];
}

/**
 * Makes a SidecarFirst* construct's network policies (`connections`) open its
 * sidecars' ports as well as its containers'.
 * @internal
 */
export function withSidecarPorts(workload: kplus.AbstractPod, set: SidecarSet): void {
  SETS.set(workload, set);
  // Replaces the PodConnections cdk8s-plus made in its constructor (a plain object, as cheap): an assignment, not
  // a property redefined on every workload, which costs more than the object.
  Object.assign(workload, { connections: new SidecarAwareConnections(workload, set) });
}

/**
 * cdk8s-plus's `PodConnections`, with every port of the pod (cdk8s-plus
 * lists only `workload.containers`' ports).
 */
class SidecarAwareConnections extends kplus.PodConnections {
  constructor(instance: kplus.AbstractPod, private readonly set: SidecarSet) {
    super(instance);
  }

  public allowFrom(peer: kplus.INetworkPolicyPeer, options: kplus.PodConnectionsAllowFromOptions = {}): void {
    super.allowFrom(peer, { ...options, ports: options.ports ?? tcp(podPorts(this.instance, this.set)) });
  }

  public allowTo(peer: kplus.INetworkPolicyPeer, options: kplus.PodConnectionsAllowToOptions = {}): void {
    const peerSet = SETS.get(peer);
    const ports = options.ports ?? (peerSet ? tcp(podPorts(peer as kplus.AbstractPod, peerSet)) : undefined);
    super.allowTo(peer, ports ? { ...options, ports } : options);
  }
}

function tcp(ports: kplus.ContainerPort[]): kplus.NetworkPolicyPort[] {
  return ports.map(p => kplus.NetworkPolicyPort.tcp(p.number));
}

/**
 * `exposeViaService` of a SidecarFirst* construct, where it must differ from
 * cdk8s-plus's (which knows only `workload.containers`): without `ports`, a
 * workload whose sidecars listen on ports is an error (exposing the app's
 * ports would bypass a front proxy); a port that targets a sidecar gets a
 * Service built as cdk8s-plus builds it. Returns undefined where cdk8s-plus's
 * own behaviour is right.
 * @internal
 */
export function sidecarService(
  workload: kplus.Deployment, set: SidecarSet, options: kplus.DeploymentExposeViaServiceOptions,
): kplus.Service | undefined {
  const path = workload.node.path;
  const sidecarPorts = set.sidecarPorts();
  if (!options.ports) {
    if (sidecarPorts.length === 0) {
      return undefined;
    }
    const listening = set.sidecarPortOwners().map(([name, port]) => `sidecar "${name}" listens on ${port}`).join(', ');
    throw declarationError(path, 'exposeViaService ports', `are not given, and ${listening}: a Service on the app containers' ports would bypass the sidecars`,
      `Name the ports to expose, e.g. exposeViaService({ ports: [{ port: 443, targetPort: ${sidecarPorts[0].number} }] }) to send traffic through the sidecar, or list the app's own ports to reach the app directly`);
  }
  const targets = options.ports.map(p => p.targetPort ?? p.port);
  if (!targets.some(t => sidecarPorts.some(p => p.number === t))) {
    return undefined;
  }
  const known = podPorts(workload, set).map(p => p.number);
  for (const target of targets) {
    if (!known.includes(target)) {
      throw declarationError(path, 'exposeViaService ports', `target port ${show(target)}, which no container or sidecar of this workload exposes`,
        `Target one of ${known.join(', ')}, or add the port to a container or sidecar (portNumber or ports)`);
    }
  }
  if (options.ports.length > 1 && options.ports.some(p => p.name === undefined)) {
    throw declarationError(path, 'exposeViaService ports', 'are several, and not all of them have a name',
      'Name every port (name: \'https\'...): a Service with several ports needs the names to tell them apart');
  }
  return new kplus.Service(workload, `${options.name ?? ''}Service`, {
    selector: workload,
    ports: options.ports,
    metadata: { namespace: workload.metadata.namespace, ...(options.name ? { name: options.name } : {}) },
    type: options.serviceType ?? kplus.ServiceType.CLUSTER_IP,
  });
}
