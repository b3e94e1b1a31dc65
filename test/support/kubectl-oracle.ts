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
import { existsSync } from 'fs';
import { join } from 'path';

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

/** Every path of `input` that `output` dropped or changed. */
function lost(input: any, output: any, path: string): string[] {
  if (input !== null && typeof input === 'object') {
    if (output === null || typeof output !== 'object' || Array.isArray(input) !== Array.isArray(output)) {
      return [`${path} became ${JSON.stringify(output)}`];
    }
    return Object.keys(input).flatMap(key => {
      const at = `${path}/${key}`;
      if (output[key] === undefined) {
        return isEmpty(input[key]) ? [] : [`${at} is dropped`];
      }
      return lost(input[key], output[key], at);
    });
  }
  if (input === output || sameQuantity(input, output)) {
    return [];
  }
  return [`${path} changed from ${JSON.stringify(input)} to ${JSON.stringify(output)}`];
}

/** What the Go types leave out (omitempty) even for fields they know. */
function isEmpty(value: any): boolean {
  return value === null || value === false || value === 0 || value === ''
    || (typeof value === 'object' && Object.keys(value).length === 0);
}

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;
const DECIMAL_SUFFIXES = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const BINARY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function scale(suffix: string | undefined): number {
  const binary = BINARY_SUFFIXES.indexOf(suffix ?? '');
  return binary >= 0 ? 2 ** (10 * (binary + 1)) : 10 ** (3 * (DECIMAL_SUFFIXES.indexOf(suffix ?? '') - 3));
}

/** Resource quantities come back in canonical form ("1000m" as "1"): equal amounts are the same value. */
function sameQuantity(a: any, b: any): boolean {
  const amount = (q: any) => {
    const m = typeof q === 'string' ? QUANTITY.exec(q) : null;
    return m ? Number(m[1]) * (m[2] !== undefined ? 10 ** Number(m[2]) : scale(m[3])) : undefined;
  };
  const [x, y] = [amount(a), amount(b)];
  return x !== undefined && y !== undefined && Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
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
