/**
 * The stand-in's stamps (test/node/standin): each container appends the node's
 * CLOCK_MONOTONIC, in ns, to /stamps/NAME.{start,ready,term,exit} on every start,
 * first readiness, SIGTERM and exit. /stamps is a hostPath directory of the pod's
 * own, so the test reads them on the host, on the same clock as
 * `process.hrtime.bigint()`: the ground truth the kubelet's status is judged by.
 * Used by the standalone node (./real-node.ts) and by tests on a cluster, whose
 * only node is this machine.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';

const VOLUME = 'sidecar-first-stamps';
const EVENTS = ['start', 'ready', 'term', 'exit'] as const;

/** One container's stamps: ms since a chosen moment, one entry per occurrence (a restart adds a start). */
export type Stamps = { readonly [event in typeof EVENTS[number]]: number[] };

/**
 * `spec` whose every container writes its stamps to `hostDir` (created here, writable
 * by the stand-in's user) under its own name (STANDIN_NAME).
 */
export function withStamps(spec: ManifestPodSpec, hostDir: string): ManifestPodSpec {
  fs.mkdirSync(hostDir, { recursive: true, mode: 0o777 });
  fs.chmodSync(hostDir, 0o777);
  const container = (c: any) => ({
    ...c,
    env: [...(c.env ?? []), { name: 'STANDIN_NAME', value: c.name }],
    volumeMounts: [...(c.volumeMounts ?? []), { name: VOLUME, mountPath: '/stamps' }],
  });
  return {
    ...spec,
    initContainers: spec.initContainers?.map(container),
    containers: spec.containers.map(container),
    volumes: [...(spec.volumes ?? []), { name: VOLUME, hostPath: { path: hostDir, type: 'Directory' } }],
  };
}

/** The stamps container `name` wrote to `hostDir`, in ms since `t0` (a `process.hrtime.bigint()`). */
export function readStamps(hostDir: string, name: string, t0: bigint): Stamps {
  const read = (event: string): number[] => {
    const file = path.join(hostDir, `${name}.${event}`);
    if (!fs.existsSync(file)) return [];
    return fs.readFileSync(file, 'utf8').split('\n').filter(l => l !== '').map(l => Number(BigInt(l) - t0) / 1e6);
  };
  return Object.fromEntries(EVENTS.map(e => [e, read(e)])) as Stamps;
}
