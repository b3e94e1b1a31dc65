/* eslint-disable @typescript-eslint/no-explicit-any */
import { Chart, Testing } from 'cdk8s';
import { ManifestPodSpec } from '../../src/_kubelet-rules';

/** The pod spec inside any pod-bearing manifest, or undefined. */
export function podSpecOf(doc: any): ManifestPodSpec | undefined {
  switch (doc.kind) {
    case 'Pod':
      return doc.spec;
    case 'CronJob':
      return doc.spec?.jobTemplate?.spec?.template?.spec;
    default:
      return doc.spec?.template?.spec;
  }
}

/** A fresh app and chart, as every test starts with. */
export function newChart(): Chart {
  return new Chart(Testing.app(), 'test');
}

/** Synthesizes `chart`; returns the manifests and the pod spec of the first pod-bearing one. */
export function synth(chart: Chart): { docs: any[]; pod: ManifestPodSpec } {
  const docs = Testing.synth(chart);
  const pod = docs.map(podSpecOf).find(p => p !== undefined);
  return { docs, pod: pod! };
}
