/* eslint-disable @typescript-eslint/no-explicit-any */
import { ManifestPodSpec } from './kubelet-rules';

/**
 * Where each pod-bearing kind keeps its pod spec, as a JSON pointer.
 * @internal
 */
export const POD_SPEC_POINTER: { readonly [kind: string]: string } = {
  Pod: '/spec',
  Deployment: '/spec/template/spec',
  StatefulSet: '/spec/template/spec',
  DaemonSet: '/spec/template/spec',
  ReplicaSet: '/spec/template/spec',
  ReplicationController: '/spec/template/spec',
  Job: '/spec/template/spec',
  CronJob: '/spec/jobTemplate/spec/template/spec',
};

function at(doc: any, pointer: string): any {
  return pointer.split('/').slice(1).reduce((o: any, key) => (o === null || typeof o !== 'object' ? undefined : o[key]), doc);
}

/**
 * The pod spec of a pod-bearing manifest; undefined for other kinds.
 * @internal
 */
export function podSpecOf(doc: any): ManifestPodSpec | undefined {
  const pointer = doc && typeof doc === 'object' ? POD_SPEC_POINTER[doc.kind] : undefined;
  return pointer ? at(doc, pointer) : undefined;
}

/**
 * The pod's own metadata (the template's, for workloads).
 * @internal
 */
export function podMetadataOf(doc: any): any {
  const pointer = POD_SPEC_POINTER[doc.kind];
  return pointer ? at(doc, pointer.replace(/\/spec$/, '/metadata')) : undefined;
}

/**
 * The items of a `kind: List`, or the document itself.
 * @internal
 */
export function expandList(doc: any): any[] {
  return doc && typeof doc === 'object' && doc.kind === 'List' && Array.isArray(doc.items) ? doc.items : [doc];
}
