/**
 * SidecarFirst.attach() in a real app of every cdk8s-plus major from 27 to 34:
 * the apps in test/kplus-majors/ type-check with `strict` (the test task runs
 * tsc on test/kplus-majors/tsconfig.json), synthesize, and every pod they
 * emit holds its app back until its sidecars are ready and is one the API
 * server accepts.
 */
import { Chart, Testing } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import { Construct } from 'constructs';
import { ReadinessCheck, SidecarFirst } from '../src';
import { SIDECARS } from './kplus-majors/gate';
import { Kplus27Chart } from './kplus-majors/kplus-27';
import { Kplus28Chart } from './kplus-majors/kplus-28';
import { Kplus29Chart } from './kplus-majors/kplus-29';
import { Kplus30Chart } from './kplus-majors/kplus-30';
import { Kplus31Chart } from './kplus-majors/kplus-31';
import { Kplus32Chart } from './kplus-majors/kplus-32';
import { Kplus33Chart } from './kplus-majors/kplus-33';
import { Kplus34Chart } from './kplus-majors/kplus-34';
import { podSpecOf } from './support/manifests';
import { expectValidManifests } from './support/schema';
import { DEFAULT_CONTAINER_ANNOTATION } from '../src/private/compiler/compiler';
import { apiViolations, findSidecars, judgeSidecar } from '../src/private/rules/kubelet-rules';
import { parseKubernetesVersion } from '../src/private/rules/kubernetes-version';
import { podTemplateOf } from '../src/private/rules/pod-template';

/* eslint-disable @typescript-eslint/no-explicit-any */

test.each<[number, new (scope: Construct, id: string) => Chart, string[]]>([
  // Each app targets the Kubernetes version of its major; schemas are checked for the nearest known versions.
  [27, Kplus27Chart, ['1.27']],
  [28, Kplus28Chart, ['1.28']],
  [29, Kplus29Chart, ['1.29']],
  [30, Kplus30Chart, ['1.29', '1.33']],
  [31, Kplus31Chart, ['1.29', '1.33']],
  [32, Kplus32Chart, ['1.29', '1.33']],
  [33, Kplus33Chart, ['1.33']],
  [34, Kplus34Chart, ['1.33']],
])('cdk8s-plus-%i: attach gates every declared sidecar, in output the API server accepts', (major, ChartClass, schemaVersions) => {
  // GIVEN
  const chart = new ChartClass(Testing.app(), `kplus-${major}`);

  // WHEN
  const docs = Testing.synth(chart);

  // THEN
  const pods = docs.filter(d => podSpecOf(d) !== undefined);
  expect(pods.map(d => d.kind)).toEqual(['Deployment', 'Job']);
  const version = parseKubernetesVersion(`1.${major}`)!;
  for (const [doc, declared] of pods.map((d, i) => [d, Object.values(SIDECARS)[i]] as const)) {
    const spec = podSpecOf(doc)!;
    const sidecars = findSidecars(spec);
    expect(sidecars).toEqual(declared);
    expect(sidecars.map(s => judgeSidecar(spec, s, sidecars).appWaitsForReady)).toEqual(declared.map(() => true));
    expect(apiViolations(spec, version)).toEqual([]);
    // Native sidecars from 1.29; before, the POST_START gate, which names the app as kubectl's default container.
    expect(podTemplateOf(doc)!.metadata.annotations?.[DEFAULT_CONTAINER_ANNOTATION]).toEqual(major < 29 ? spec.containers[1].name : undefined);
  }
  // The ordinary init container keeps no probe: cdk8s-plus's implicit TCP startupProbe is removed.
  const web = podSpecOf(pods[0])!;
  expect(web.initContainers!.find(c => c.name === 'seed')).not.toHaveProperty('startupProbe');
  // What was set on the handle addSidecar() returned is in the output.
  const proxy = [...(web.initContainers ?? []), ...web.containers].find(c => c.name === 'proxy') as any;
  expect(proxy.volumeMounts).toEqual([{ name: 'proxy-tmp', mountPath: '/tmp' }]);
  expect(proxy.env).toEqual([{ name: 'UPSTREAM', value: '127.0.0.1:8080' }]);
  // Only what was declared: no cdk8s-plus container defaults on someone else's workload.
  expect([proxy.resources, proxy.securityContext, proxy.imagePullPolicy]).toEqual([undefined, undefined, undefined]);
  expectValidManifests(docs, schemaVersions);
});

test('a cdk8s-plus-33 app volume and a cdk8s-plus-28 sidecar volume of the same name and definition are one volume of the pod', () => {
  // GIVEN
  const chart = new Chart(Testing.app(), 'mixed');
  const web = new kplus33.Deployment(chart, 'web', {
    containers: [{ name: 'app', image: 'my/app:1', volumeMounts: [{ path: '/shared', volume: kplus33.Volume.fromEmptyDir(chart, 'app-shared', 'shared') }] }],
  });

  // WHEN
  const proxy = SidecarFirst.attach(web, { kubernetesVersion: '1.33' })
    .addSidecar({ name: 'proxy', image: 'envoyproxy/envoy:v1.31', portNumber: 9901, readinessCheck: ReadinessCheck.tcpSocket() });
  proxy.mount('/shared', kplus28.Volume.fromEmptyDir(chart, 'proxy-shared', 'shared'));

  // THEN
  const spec = podSpecOf(Testing.synth(chart)[0])!;
  expect(spec.volumes).toEqual([{ name: 'shared', emptyDir: {} }]);
  expect(spec.initContainers![0].volumeMounts).toEqual([{ name: 'shared', mountPath: '/shared' }]);
});
