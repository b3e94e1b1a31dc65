/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
/**
 * Validates synthesized manifests against the Kubernetes API schema, with
 * upstream-generated validators only (no hand-written schema):
 * - kubernetes-models 4.5.1 (generated from the Kubernetes 1.33 OpenAPI
 *   spec): types, enums and required fields;
 * - the k8s types that cdk8s-plus-27/28/29/33 generate for Kubernetes
 *   1.27/1.28/1.29/1.33: a field that a version's generated serializer never
 *   reads is a field that version does not know.
 * Plus docs/kubelet-semantics.md V1-V5, from the library's own kubelet rules.
 * Plus, after the test file's tests, the real API servers and the real API
 * types of each version (./manifest-validation.ts).
 */
import { recordManifests } from './manifest-validation';
import { podSpecOf } from './manifests';
import { apiViolations, ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { parseKubernetesVersion } from '../../src/private/rules/kubernetes-version';

const GENERATED_K8S: { [version: string]: any } = {
  1.27: require('cdk8s-plus-27').k8s,
  1.28: require('cdk8s-plus-28').k8s,
  1.29: require('cdk8s-plus-29').k8s,
  1.33: require('cdk8s-plus-33').k8s,
};

/** Kubernetes versions a manifest is validated for, unless a test says otherwise. */
export const NATIVE_SIDECAR_VERSIONS = ['1.29', '1.33'];

/**
 * Every problem the schema of `version` finds in `docs`, as `kind/name: /path problem`.
 */
export function schemaProblems(docs: any[], version: string): string[] {
  const problems: string[] = [];
  for (const doc of docs) {
    const where = `${doc.kind}/${doc.metadata?.name}`;
    problems.push(...typeProblems(doc).map(p => `${where}: ${p}`));
    problems.push(...unknownFields(doc, version).map(p => `${where}: ${p} is not a field in Kubernetes ${version}`));
    const spec = podSpecOf(doc);
    if (spec) {
      problems.push(...apiViolations(spec as ManifestPodSpec, parseKubernetesVersion(version)).map(p => `${where}: ${p}`));
    }
  }
  return problems;
}

/**
 * Jest assertion: no schema problems for any of `versions`. The documents are
 * also validated by the API servers and each version's kubectl once the test
 * file's tests are done (./manifest-validation.ts).
 */
export function expectValidManifests(docs: any[], versions: string[] = NATIVE_SIDECAR_VERSIONS): void {
  expect(versions.flatMap(v => schemaProblems(docs, v))).toEqual([]);
  recordManifests(docs, versions);
}

function typeProblems(doc: any): string[] {
  const Model = require(`kubernetes-models/${doc.apiVersion}/${doc.kind}`)[doc.kind];
  try {
    new Model(doc).validate();
    return [];
  } catch (e: any) {
    return (e.errors ?? [{ instancePath: '', message: e.message }]).map((err: any) =>
      `${err.instancePath || '/'} ${err.message}${err.params ? ' ' + JSON.stringify(err.params) : ''}`);
  }
}

/**
 * Runs the version's generated serializer over a recording proxy of the
 * document, then lists every field it never read.
 */
const fold = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');

function unknownFields(doc: any, version: string): string[] {
  const k8s = GENERATED_K8S[version];
  const toJson = k8s[`toJson_Kube${doc.kind}Props`];
  if (!toJson) {
    throw new Error(`no generated serializer for ${doc.kind} in Kubernetes ${version}`);
  }
  const read = new WeakMap<object, Set<PropertyKey>>();
  const record = (value: any): any => {
    if (value === null || typeof value !== 'object') {
      return value;
    }
    read.set(value, read.get(value) ?? new Set());
    return new Proxy(value, {
      get(target, key) {
        // Generated property names differ from JSON names in case only (setHostnameAsFqdn).
        const jsonKey = typeof key === 'string' && !(key in target) ? Object.keys(target).find(k => fold(k) === fold(key)) ?? key : key;
        read.get(target)!.add(jsonKey);
        return record(target[jsonKey]);
      },
    });
  };
  const { apiVersion, kind, ...props } = doc;
  toJson(record(props));
  const unread: string[] = [];
  const walk = (value: any, path: string) => {
    if (value === null || typeof value !== 'object') {
      return;
    }
    for (const key of Object.keys(value)) {
      if (!read.get(value)?.has(key)) {
        unread.push(`${path}/${key}`);
      } else {
        walk(value[key], `${path}/${key}`);
      }
    }
  };
  walk(props, '');
  return unread;
}
