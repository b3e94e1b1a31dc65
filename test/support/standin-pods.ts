/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The library's output played by the stand-in (test/node/standin), for the tests on a
 * real kubelet: no registry is reachable, so every image becomes STANDIN_IMAGE, with
 * arguments that make it behave as the container's role asks. A sidecar serves the
 * ports its probes check and becomes ready after SIDECAR_READY_AFTER_MS; an app serves
 * its probes' ports at once and, in a Job, exits 0 after 2 s; an ordinary init container
 * exits after 300 ms. The library's own containers (the wait-tools copy of
 * /bin/busybox) run as synthesized, on the stand-in image, which has /bin/busybox.
 *
 * - `playPodSpec(spec)`: a pod spec's played version and its sidecars and apps by name
 *   (test/node/examples.node.test.ts makes static pods of it).
 * - `playManifest(doc)`: a whole document (Deployment, CronJob, ...) as a user's cluster
 *   would run it, its pod template played (test/support/cluster.ts applies it).
 */
import { STANDIN_IMAGE, standinArgs, StandinOptions } from './real-node';
import { ManifestContainer, ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { podTemplateOf } from '../../src/private/rules/pod-template';

/** When a played sidecar becomes ready, after its start. */
export const SIDECAR_READY_AFTER_MS = 1500;

/** A pod spec as the stand-in plays it. */
export interface PlayedPod {
  readonly spec: ManifestPodSpec;
  /** Native sidecars (init containers with restartPolicy Always) and postStart-gated ones. */
  readonly sidecars: string[];
  /** The other regular containers. */
  readonly apps: string[];
  /** The pod runs to completion (restartPolicy Never or OnFailure): its apps exit. */
  readonly job: boolean;
  /** It has a native sidecar (needs a 1.29+ kubelet). */
  readonly native: boolean;
}

/** `spec` with every container played by the stand-in; see the top of this file. */
export function playPodSpec(spec: ManifestPodSpec): PlayedPod {
  const job = spec.restartPolicy === 'Never' || spec.restartPolicy === 'OnFailure';
  const native = (spec.initContainers ?? []).some(c => c.restartPolicy === 'Always');
  const isSidecar = (c: ManifestContainer, init: boolean) => init ? c.restartPolicy === 'Always' : c.lifecycle?.postStart !== undefined;
  const sidecars = [
    ...(spec.initContainers ?? []).filter(c => isSidecar(c, true)),
    ...spec.containers.filter(c => isSidecar(c, false)),
  ].map(c => c.name);
  const apps = spec.containers.filter(c => !isSidecar(c, false)).map(c => c.name);
  const play = (c: ManifestContainer, init: boolean): ManifestContainer => {
    if (c.command?.[0] === '/bin/busybox') return { ...c, image: STANDIN_IMAGE };
    let options: StandinOptions;
    if (isSidecar(c, init)) {
      options = { ...servedPorts(c), readyAfterMs: SIDECAR_READY_AFTER_MS };
    } else if (init) {
      options = { exitAfterMs: 300 };
    } else {
      options = { ...servedPorts(c), exitAfterMs: job ? 2000 : undefined };
    }
    const { command: _command, envFrom: _envFrom, ...rest } = c;
    return { ...rest, image: STANDIN_IMAGE, args: standinArgs(options), env: (c.env ?? []).filter((e: any) => e.valueFrom === undefined) };
  };
  return {
    sidecars,
    apps,
    job,
    native,
    spec: {
      ...spec,
      initContainers: spec.initContainers?.map(c => play(c, true)),
      containers: spec.containers.map(c => play(c, false)),
    },
  };
}

/**
 * `doc` as a user's cluster would run it, played by the stand-in: a copy whose pod
 * template (if any) is played, its images never pulled (they are in the node's
 * containerd), and without CPU requests and limits (cdk8s-plus requests up to 1 CPU a
 * container, which would leave most replicas Pending on a 2-core node; a CPU limit
 * alone would become the request). Memory requests and limits stay.
 */
export function playManifest(doc: any): any {
  const copy = structuredClone(doc);
  const template = podTemplateOf(copy);
  if (!template) return copy;
  const played = playPodSpec(template.spec).spec;
  const container = (c: ManifestContainer): ManifestContainer => ({
    ...c,
    imagePullPolicy: 'IfNotPresent',
    // The stand-in's name for itself (RealNode sets it on static pods).
    env: [...(c.env ?? []), { name: 'STANDIN_NAME', value: c.name }],
    resources: c.resources && {
      ...c.resources,
      requests: withoutCpu(c.resources.requests),
      limits: withoutCpu(c.resources.limits),
    },
  });
  Object.assign(template.spec, {
    ...played,
    initContainers: played.initContainers?.map(container),
    containers: played.containers.map(container),
  });
  return copy;
}

function withoutCpu(quantities: any): any {
  if (quantities === undefined) return undefined;
  const { cpu: _cpu, ...rest } = quantities;
  return rest;
}

/** The stand-in's options to answer every probe of `c` (named ports resolved). */
function servedPorts(c: ManifestContainer): StandinOptions {
  const port = (p: number | string) => typeof p === 'number' ? p : c.ports?.find((q: any) => q.name === p)?.containerPort;
  const probes: any[] = [c.startupProbe, c.readinessProbe, c.livenessProbe].filter(p => p !== undefined);
  const http = probes.find(p => p.httpGet)?.httpGet.port;
  const tcp = probes.find(p => p.tcpSocket)?.tcpSocket.port;
  const grpc = probes.find(p => p.grpc)?.grpc.port;
  // An HTTP server also accepts TCP connections: one listener for a port both check.
  return {
    http: http !== undefined ? port(http) : undefined,
    tcp: tcp !== undefined && port(tcp) !== port(http ?? -1) ? port(tcp) : undefined,
    grpc: grpc !== undefined ? port(grpc) : undefined,
  };
}
