/* eslint-disable @typescript-eslint/no-explicit-any */
import { Chart, Testing } from 'cdk8s';
import { ManifestPodSpec } from '../../src/private/rules/kubelet-rules';
import { podSpecOf } from '../../src/private/rules/pod-template';

export { podSpecOf } from '../../src/private/rules/pod-template';

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
