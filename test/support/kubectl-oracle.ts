/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The real Kubernetes API types as an oracle, without a server: each
 * version's own kubectl (the `kubectl` apt package ships kubectl.1.27 ...
 * kubectl.1.33) decodes pod-bearing manifests into its Go types and encodes
 * them again, with `set env --local`. A value of the wrong type (a string for
 * an int, 2^31 for an int32) is a decode error; a field the version does not
 * know is silently dropped, which comparing the round trip with the input
 * reveals.
 *
 * Limits: only pod-bearing kinds (`set env` refuses others); a field the
 * version does not know is missed when its value is empty (0, false, "", [],
 * {}), because the Go types leave out empty values of the fields they know
 * just the same.
 */
import { spawnSync } from 'child_process';
import { existsSync, readdirSync } from 'fs';
import { join } from 'path';
import { lost } from './dropped-fields';

const KUBECTL_DIR = '/usr/lib/google-cloud-sdk/bin';

/** The kinds `kubectl set env` decodes. */
const POD_BEARING = new Set(['Pod', 'Deployment', 'StatefulSet', 'DaemonSet', 'Job', 'CronJob', 'ReplicaSet', 'ReplicationController']);

/** An environment variable `set env` adds to every container, so that every document is re-encoded; removed again before comparing. */
const MARKER = 'SIDECAR_FIRST_ORACLE';

/** The kubectl built with `version`'s API types, if installed. */
export function kubectlFor(version: string): string | undefined {
  const path = join(KUBECTL_DIR, `kubectl.${version}`);
  return existsSync(path) ? path : undefined;
}

/**
 * The installed kubectl whose minor version is nearest `minor` ('1.37' -> kubectl.1.33, the
 * newest packaged; '1.30' -> kubectl.1.30), to talk to a server of that version; undefined
 * when none is installed.
 */
export function nearestKubectl(minor: string): string | undefined {
  const wanted = Number(minor.split('.')[1]);
  const installed = existsSync(KUBECTL_DIR) ? readdirSync(KUBECTL_DIR).map(f => /^kubectl\.1\.(\d+)$/.exec(f)).filter(m => m !== null).map(m => Number(m![1])) : [];
  const nearest = installed.sort((a, b) => Math.abs(a - wanted) - Math.abs(b - wanted) || b - a)[0];
  return nearest === undefined ? undefined : join(KUBECTL_DIR, `kubectl.1.${nearest}`);
}

/**
 * Every problem `version`'s API types find in `docs`: decode errors, and
 * `kind/name: /path` of every value the round trip dropped or changed.
 * One kubectl run for all documents.
 */
export function kubectlProblems(docs: any[], version: string): string[] {
  const kubectl = kubectlFor(version);
  if (!kubectl) {
    throw new Error(`kubectl.${version} is not installed in ${KUBECTL_DIR} (apt package kubectl)`);
  }
  const inputs = docs.filter(d => POD_BEARING.has(d?.kind));
  if (inputs.length === 0) {
    return [];
  }
  const run = spawnSync(kubectl, ['set', 'env', '--local', '-f', '-', '-e', `${MARKER}=1`, '-o', 'json'], {
    // A stream of JSON documents: no YAML 1.1 surprises (`image: y` is a boolean there).
    input: inputs.map(d => JSON.stringify(d)).join('\n'),
    encoding: 'utf8',
    // --local never talks to a server; an empty configuration makes sure of it.
    env: { PATH: process.env.PATH, KUBECONFIG: '/dev/null' },
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) {
    return [`kubectl ${version}: ${(run.stderr || run.error?.message || '').trim()}`];
  }
  const outputs = run.stdout.split(/(?<=^\})\n(?=\{)/m).map(text => withoutMarker(JSON.parse(text)));
  if (outputs.length !== inputs.length) {
    return [`kubectl ${version}: decoded ${outputs.length} documents out of ${inputs.length}`];
  }
  return inputs.flatMap((input, i) =>
    lost(input, outputs[i], '').map(p => `${input.kind}/${input.metadata?.name}: ${p} in Kubernetes ${version}'s API types`));
}

function withoutMarker(value: any): any {
  if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      if (key === 'env' && Array.isArray(value.env)) {
        value.env = value.env.filter((e: any) => e.name !== MARKER);
        if (value.env.length === 0) {
          delete value.env;
        }
      } else {
        withoutMarker(value[key]);
      }
    }
  }
  return value;
}
