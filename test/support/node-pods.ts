/**
 * Pods for the real-node tests, declared with the library and played by the stand-in:
 * a sidecar `proxy` that becomes ready after a delay (or never) on one check kind, and
 * an app `app` that records when it started.
 */
import { Duration } from 'cdk8s';
import { newChart, synth } from './manifests';
import { STANDIN_IMAGE, standinArgs, StandinOptions } from './real-node';
import { ReadinessCheck, SidecarFirstPod, SidecarFirstPodProps, SidecarProps, StartupGate } from '../../src';
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';

/** The four check kinds of `ReadinessCheck`. */
export const CHECK_KINDS = ['http', 'tcp', 'command', 'grpc'] as const;
export type CheckKind = typeof CHECK_KINDS[number];

const PORT = 8080;
/** The stand-in creates this file when ready (a command check looks for it; the root filesystem is read-only). */
const READY_FILE = '/stamps/proxy-is-ready';

/** A sidecar named `name` that is ready after `readyAfterMs` on a `kind` check. */
export function standinSidecar(name: string, kind: CheckKind, readyAfterMs: number | 'never', extra: Partial<SidecarProps> & { standin?: StandinOptions; port?: number } = {}): SidecarProps {
  const port = extra.port ?? PORT;
  const readyFile = `${READY_FILE}-${name}`;
  const { standin, port: _port, ...props } = extra;
  const byKind: { [k in CheckKind]: { check: ReadinessCheck; options: StandinOptions } } = {
    http: { check: ReadinessCheck.httpGet('/ready', { port }), options: { http: port } },
    tcp: { check: ReadinessCheck.tcpSocket({ port }), options: { tcp: port } },
    command: { check: ReadinessCheck.command(['test', '-e', readyFile]), options: { readyFile } },
    grpc: { check: ReadinessCheck.grpc({ port, grpcHealthProbe: '/bin/grpc_health_probe' }), options: { grpc: port } },
  };
  return {
    name,
    image: STANDIN_IMAGE,
    args: standinArgs({ ...byKind[kind].options, readyAfterMs, ...standin }),
    readinessCheck: byKind[kind].check,
    startupTimeout: Duration.seconds(60),
    ...props,
  };
}

/** A pod: one `proxy` sidecar of `kind`, ready after `readyAfterMs`, and an `app`, under `gate`. */
export function gatedPod(gate: StartupGate, kind: CheckKind, readyAfterMs: number | 'never', sidecar: Partial<SidecarProps> = {}, pod: Partial<SidecarFirstPodProps> = {}): ManifestPodSpec {
  return declaredPod({
    startupGate: gate,
    containers: [{ name: 'app', image: STANDIN_IMAGE, args: standinArgs() }],
    sidecars: [standinSidecar('proxy', kind, readyAfterMs, sidecar)],
    ...pod,
  });
}

/** The pod spec the library synthesizes for `props`. */
export function declaredPod(props: SidecarFirstPodProps): ManifestPodSpec {
  const chart = newChart();
  new SidecarFirstPod(chart, 'pod', props);
  return synth(chart).pod;
}
