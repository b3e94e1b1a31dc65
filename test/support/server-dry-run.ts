/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The real API server as the validator: `kubectl apply --dry-run=server`
 * sends manifests through the server's decoding (strict: an unknown field is
 * an error), defaulting, validation and admission, without storing anything.
 * A rejection is a problem, and so is a value we sent that the answer lacks
 * (./dropped-fields.ts): a field the version knows but drops, such as one
 * behind a feature gate that is off.
 */
import { spawnSync } from 'child_process';
import { dirname, join } from 'path';
import { ApiServer } from './api-servers';
import { lost } from './dropped-fields';

/** Namespaces created on each server by this worker (a dry run into a missing namespace is rejected). */
const namespaces = new Map<string, Set<string>>();

/**
 * The problems `server` finds in each of `docs`, in order. One kubectl call for
 * all of them; only when it fails, one call per document, to tell which.
 */
export function dryRunProblems(docs: any[], server: ApiServer): string[][] {
  if (docs.length === 0) {
    return [];
  }
  createNamespaces(docs, server);
  const batch = kubectl(server, ['apply', '--dry-run=server', '--validate=strict', '-o', 'json', '-f', '-'], docs);
  if (batch.status === 0) {
    const answer = JSON.parse(batch.stdout);
    const items = answer.kind === 'List' ? answer.items : [answer];
    if (items.length !== docs.length) {
      throw new Error(`kubectl apply --dry-run=server answered ${items.length} objects for ${docs.length}`);
    }
    return docs.map((doc, i) => droppedBy(doc, items[i], server));
  }
  return docs.map(doc => {
    const one = kubectl(server, ['apply', '--dry-run=server', '--validate=strict', '-o', 'json', '-f', '-'], [doc]);
    return one.status === 0 ? droppedBy(doc, JSON.parse(one.stdout), server) : [rejection(doc, one.stderr, server)];
  });
}

function droppedBy(doc: any, answer: any, server: ApiServer): string[] {
  return lost(doc, answer, '').map(p => `${doc.kind}/${doc.metadata?.name}: ${p} by kube-apiserver ${server.version}`);
}

function rejection(doc: any, stderr: string, server: ApiServer): string {
  // `Error from server (Invalid): error when creating "STDIN": Pod "p" is invalid: ...`: the part after STDIN.
  const message = stderr.trim().replace(/^Error from server \((\w+)\): error when \w+ "STDIN": /gm, '$1: ');
  return `${doc.kind}/${doc.metadata?.name}: rejected by kube-apiserver ${server.version}: ${message}`;
}

function createNamespaces(docs: any[], server: ApiServer): void {
  const created = namespaces.get(server.version) ?? new Set(['default']);
  namespaces.set(server.version, created);
  const wanted = [...new Set(docs.map(d => d.metadata?.namespace).filter(n => typeof n === 'string' && !created.has(n)))];
  if (wanted.length === 0) {
    return;
  }
  // Other workers create the same ones: "already exists" is fine.
  const run = kubectl(server, ['create', '-f', '-'], wanted.map(name => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })));
  const failures = run.stderr.split('\n').filter(line => line.trim() && !/AlreadyExists|already exists/.test(line));
  if (failures.length > 0) {
    throw new Error(`creating namespaces ${wanted.join(', ')} on kube-apiserver ${server.version}: ${failures.join('\n')}`);
  }
  wanted.forEach(n => created.add(n));
}

/** Runs `server`'s kubectl on `docs` (a stream of JSON documents on standard input). */
export function kubectl(server: ApiServer, args: string[], docs: any[]) {
  const run = spawnSync(server.kubectl, [...args, '--cache-dir', join(dirname(server.kubeconfig), 'kubectl-cache')], {
    // A stream of JSON documents: no YAML 1.1 surprises (`image: y` is a boolean there).
    input: docs.map(d => JSON.stringify(d)).join('\n'),
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: dirname(server.kubeconfig), KUBECONFIG: server.kubeconfig },
    maxBuffer: 512 * 1024 * 1024,
  });
  if (run.error) {
    throw run.error;
  }
  return run;
}
