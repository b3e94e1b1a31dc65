/**
 * The examples are documentation: every manifest they synthesize must be
 * valid for its Kubernetes versions and hold every app back until its
 * sidecars are ready.
 */
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { AttachToExistingChart } from '../examples/attach-to-existing';
import { DistrolessSidecarChart } from '../examples/distroless-sidecar';
import { FrontProxyChart } from '../examples/front-proxy';
import { JobWithSidecarChart } from '../examples/job-with-sidecar';
import { LegacyClusterChart } from '../examples/legacy-cluster';
import { MigrationAfterProxyChart } from '../examples/migration-after-proxy';
import { NginxAppChart } from '../examples/nginx-app';
import { Severity } from '../src';
import { podSpecOf } from './support/manifests';
import { expectValidManifests } from './support/schema';
import { findSidecars, judgeSidecar } from '../src/private/rules/kubelet-rules';

test.each<[string, new (scope: Construct, id: string) => Chart, string[], number]>([
  ['nginx-app', NginxAppChart, ['1.29', '1.33'], 1],
  ['nginx-app-k8s-1-28', LegacyClusterChart, ['1.28'], 1],
  ['distroless-sidecar-k8s-1-27', DistrolessSidecarChart, ['1.27'], 1],
  ['migration-after-proxy', MigrationAfterProxyChart, ['1.29', '1.33'], 1],
  ['job-with-sidecar', JobWithSidecarChart, ['1.29', '1.33'], 1],
  ['attach-to-existing', AttachToExistingChart, ['1.29', '1.33'], 2],
  ['front-proxy', FrontProxyChart, ['1.29', '1.33'], 1],
])('example %s', (id, ChartClass, versions, sidecarCount) => {
  // GIVEN
  const chart = new ChartClass(Testing.app(), id);

  // WHEN
  const docs = Testing.synth(chart);

  // THEN
  expectValidManifests(docs, versions);
  const judged = docs.map(podSpecOf).filter(p => p !== undefined).flatMap(pod => {
    const sidecars = findSidecars(pod!);
    return sidecars.map(name => judgeSidecar(pod!, name, sidecars));
  });
  expect(judged).toHaveLength(sidecarCount);
  expect(judged.filter(v => !v.appWaitsForReady || v.findings.some(f => f.severity !== Severity.INFO))).toEqual([]);
});
