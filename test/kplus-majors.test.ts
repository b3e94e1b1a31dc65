/**
 * SidecarFirst.attach() in a real app of every cdk8s-plus major from 27 to 34:
 * the apps in test/kplus-majors/ type-check with `strict` (the test task runs
 * tsc on test/kplus-majors/tsconfig.json), synthesize, and every pod they
 * emit holds its app back until its sidecars are ready and is one the API
 * server accepts.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Chart, Size, Testing } from 'cdk8s';
import * as kplus28 from 'cdk8s-plus-28';
import * as kplus33 from 'cdk8s-plus-33';
import * as kplus34 from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import { parseAllDocuments } from 'yaml';
import { ReadinessCheck, SidecarFirst, SidecarProps } from '../src';
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
  // The handle's cdk8s-plus-28 volume, then the workload's own volume (of this major), mounted by name.
  expect(proxy.volumeMounts).toEqual([{ name: 'proxy-tmp', mountPath: '/tmp' }, { name: 'cache', mountPath: '/var/cache/nginx' }]);
  expect(web.volumes!.map((v: any) => v.name).sort()).toEqual(['cache', 'proxy-tmp']);
  expect(proxy.env).toEqual([{ name: 'UPSTREAM', value: '127.0.0.1:8080' }]);
  // Only what was declared: the cpu request the autoscaler needs, no cdk8s-plus container defaults on someone else's workload.
  expect([proxy.resources, proxy.securityContext, proxy.imagePullPolicy]).toEqual([{ requests: { cpu: '50m' } }, undefined, undefined]);
  // The major's own Service sends 443 to the proxy, selecting the workload's pods; its autoscaler targets the workload.
  const deployment = pods[0];
  const proxyService = docs.find(d => d.kind === 'Service' && d.spec.ports[0].port === 443);
  expect(proxyService.spec.ports).toEqual([{ port: 443, targetPort: 8443 }]);
  expect(proxyService.spec.selector).toEqual(deployment.spec.template.metadata.labels);
  expect(docs.find(d => d.kind === 'HorizontalPodAutoscaler').spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
  // The schema helper knows autoscaling/v1 only: the autoscaler is cdk8s-plus's own output.
  expectValidManifests(docs.filter(d => d.kind !== 'HorizontalPodAutoscaler'), schemaVersions);
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

describe('the cdk8s-plus-34 app of docs/attach-and-cdk8s-plus.md (test/kplus-majors/kplus-34-app.ts, type-checked with strict)', () => {
  const APP_FILE = path.join(__dirname, 'kplus-majors', 'kplus-34-app.ts');

  test('is the example of docs/attach-and-cdk8s-plus.md, word for word (but the import of the package)', () => {
    // GIVEN
    const readme = fs.readFileSync(path.join(__dirname, '..', 'docs', 'attach-and-cdk8s-plus.md'), 'utf8');

    // WHEN
    const block = /<!-- ci: kplus-34-app -->\n```ts\n([\s\S]*?)```/.exec(readme)?.[1];

    // THEN
    expect(block).toEqual(fs.readFileSync(APP_FILE, 'utf8').replace('from \'../../src\'', 'from \'cdk8s-sidecar-first\''));
  });

  test('synthesizes: the sidecar mounts the app\'s volume, the Service sends 443 to it, the autoscaler finds every request', () => {
    // GIVEN
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'kplus-34-app-'));

    // WHEN: the app runs as `cdk8s synth` runs it
    process.env.CDK8S_OUTDIR = outdir;
    try {
      // Loading the app runs it, as `cdk8s synth` does.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      jest.isolateModules(() => require(APP_FILE));
    } finally {
      delete process.env.CDK8S_OUTDIR;
    }

    // THEN
    const docs = parseAllDocuments(fs.readFileSync(path.join(outdir, 'shop.k8s.yaml'), 'utf8')).map(d => d.toJS());
    expect(docs.map(d => d.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);
    const [deployment, service, autoscaler] = docs;
    const spec = podSpecOf(deployment)!;
    const nginx = spec.initContainers![0] as any;
    expect(nginx.volumeMounts).toEqual([{ name: 'secret-shop-tls', mountPath: '/etc/nginx/certs', readOnly: true }]);
    expect(spec.volumes).toEqual([{ name: 'secret-shop-tls', secret: { secretName: 'shop-tls' } }]);
    expect(nginx.resources.requests).toEqual({ cpu: '50m', memory: '32Mi' });
    expect(service.spec.ports).toEqual([{ port: 443, targetPort: 8443 }]);
    expect(service.spec.selector).toEqual(deployment.spec.template.metadata.labels);
    expect(autoscaler.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(judgeSidecar(spec, 'nginx', findSidecars(spec)).appWaitsForReady).toBe(true);
    expect(apiViolations(spec, parseKubernetesVersion('1.33'))).toEqual([]);
    // The schema helper knows autoscaling/v1 only: the autoscaler is cdk8s-plus-34's own output.
    expectValidManifests([deployment, service], ['1.33']);
  });
});

describe('autoscalers of an attached workload', () => {
  const gated = (sidecar: Partial<SidecarProps> = {}) => {
    const chart = new Chart(Testing.app(), 'shop');
    const web = new kplus34.Deployment(chart, 'web', {
      containers: [{ name: 'app', image: 'my/app:1', portNumber: 8080, resources: { cpu: { request: kplus34.Cpu.millis(250) } } }],
    });
    SidecarFirst.attach(web, {
      kubernetesVersion: '1.33',
      sidecars: [{ name: 'proxy', image: 'envoyproxy/envoy:v1.31', portNumber: 9901, readinessCheck: ReadinessCheck.tcpSocket(), ...sidecar }],
    });
    return { chart, web };
  };

  test('a CPU utilization target and a sidecar without a cpu request fail synthesis, naming the autoscaler, the sidecar and the fix', () => {
    // GIVEN
    const { chart, web } = gated();

    // WHEN
    new kplus34.HorizontalPodAutoscaler(chart, 'scaler', {
      target: web, maxReplicas: 5, metrics: [kplus34.Metric.resourceCpu(kplus34.MetricTarget.averageUtilization(70))],
    });

    // THEN
    expect(() => Testing.synth(chart)).toThrow(new Error('Validation failed with the following errors:\n  [] '
      + 'shop/web: sidecar "proxy": resources.cpu.request is not set, and HorizontalPodAutoscaler "shop-scaler-c8496e8b" (shop/scaler/Resource) scales this workload on cpu utilization: '
      + 'the autoscaler sums the requests of every container, sidecars included, and without this one it does not scale at all ("missing request for cpu in container proxy"). '
      + 'Give the sidecar a request, e.g. resources: { cpu: { request: Cpu.millis(100) } }, or scale on a metric with an AverageValue target'));
  });

  test('a memory target on a sidecar with only a cpu request fails too; a generated autoscaling/v1 object is found as well', () => {
    // GIVEN
    const { chart, web } = gated({ resources: { cpu: { request: kplus34.Cpu.millis(50) } } });

    // WHEN
    new kplus34.HorizontalPodAutoscaler(chart, 'scaler', {
      target: web, maxReplicas: 5, metrics: [kplus34.Metric.resourceMemory(kplus34.MetricTarget.averageUtilization(70))],
    });
    new kplus34.k8s.KubeHorizontalPodAutoscaler(chart, 'v1', {
      spec: { maxReplicas: 3, targetCpuUtilizationPercentage: 50, scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: web.name } },
    });

    // THEN: the memory target fails; the v1 CPU target is satisfied by the cpu request
    expect(() => Testing.synth(chart)).toThrow(/^Validation failed with the following errors:\n {2}\[\] shop\/web: sidecar "proxy": resources\.memory\.request is not set, and HorizontalPodAutoscaler "shop-scaler-[0-9a-f]{8}" \(shop\/scaler\/Resource\) scales this workload on memory utilization: [^\n]*Size\.mebibytes\(64\)[^\n]*$/);
  });

  test('a sidecar with the request, an AverageValue target, or an autoscaler of another workload pass', () => {
    // GIVEN
    const { chart, web } = gated({ resources: { cpu: { request: kplus34.Cpu.millis(50) } } });
    const other = new kplus34.Deployment(chart, 'other', { containers: [{ name: 'app', image: 'my/app:1', resources: { memory: { request: Size.mebibytes(64) } } }] });

    // WHEN
    new kplus34.HorizontalPodAutoscaler(chart, 'cpu', {
      target: web, maxReplicas: 5, metrics: [kplus34.Metric.resourceCpu(kplus34.MetricTarget.averageUtilization(70))],
    });
    new kplus34.HorizontalPodAutoscaler(chart, 'memory', {
      target: web, maxReplicas: 5, metrics: [kplus34.Metric.resourceMemory(kplus34.MetricTarget.averageValue(256))],
    });
    new kplus34.HorizontalPodAutoscaler(chart, 'other-memory', {
      target: other, maxReplicas: 5, metrics: [kplus34.Metric.resourceMemory(kplus34.MetricTarget.averageUtilization(70))],
    });

    // THEN
    expect(Testing.synth(chart).map(d => d.kind)).toEqual(['Deployment', 'Deployment', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', 'HorizontalPodAutoscaler']);
  });
});
