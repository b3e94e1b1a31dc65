import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, Chart, Cron, Include, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import {
  ISidecarFirst, ReadinessCheck, SidecarFirst, SidecarFirstCronJob, SidecarFirstDaemonSet, SidecarFirstDeployment, SidecarFirstJob,
  SidecarFirstOptions, SidecarFirstPod, SidecarFirstStatefulSet, SidecarProps, StartupGate,
} from '../src';
import { legacyGated, nativeGated, verdicts } from './support/kubelet';
import { newChart, podSpecOf, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';

/* eslint-disable @typescript-eslint/no-explicit-any */

const APP = { name: 'app', image: 'my/app:1', portNumber: 8080 };
const PROXY: SidecarProps = {
  name: 'proxy',
  image: 'envoyproxy/envoy:v1.31',
  portNumber: 9901,
  readinessCheck: ReadinessCheck.httpGet('/ready'),
  jobExit: 'the app calls POST http://localhost:9901/quitquitquit when done',
};

type Factory = (scope: Construct, options: SidecarFirstOptions) => ISidecarFirst;

/** One constructor per sidecar-first workload kind. */
const CONSTRUCTS: Array<[string, Factory]> = [
  ['SidecarFirstDeployment', (s, o) => new SidecarFirstDeployment(s, 'w', { containers: [APP], ...o })],
  ['SidecarFirstStatefulSet', (s, o) => new SidecarFirstStatefulSet(s, 'w', { containers: [APP], ...o })],
  ['SidecarFirstDaemonSet', (s, o) => new SidecarFirstDaemonSet(s, 'w', { containers: [APP], ...o })],
  ['SidecarFirstJob', (s, o) => new SidecarFirstJob(s, 'w', { containers: [APP], ...o })],
  ['SidecarFirstCronJob', (s, o) => new SidecarFirstCronJob(s, 'w', { containers: [APP], schedule: Cron.daily(), ...o })],
  ['SidecarFirstPod', (s, o) => new SidecarFirstPod(s, 'w', { containers: [APP], ...o })],
];

/** The same kinds written with plain cdk8s-plus, then attached to. */
const KPLUS: Array<[string, (s: Construct) => kplus.AbstractPod]> = [
  ['Deployment', s => new kplus.Deployment(s, 'w', { containers: [APP] })],
  ['StatefulSet', s => new kplus.StatefulSet(s, 'w', { containers: [APP] })],
  ['DaemonSet', s => new kplus.DaemonSet(s, 'w', { containers: [APP] })],
  ['Job', s => new kplus.Job(s, 'w', { containers: [APP] })],
  ['CronJob', s => new kplus.CronJob(s, 'w', { containers: [APP], schedule: Cron.daily() })],
  ['Pod', s => new kplus.Pod(s, 'w', { containers: [APP] })],
];

/** The synthesized manifest that carries the pod. */
function workloadDoc(docs: any[]): any {
  return docs.find(d => podSpecOf(d) !== undefined);
}

describe.each(CONSTRUCTS)('%s', (name, create) => {
  test.each([StartupGate.STARTUP_PROBE, StartupGate.POST_START])('gates its sidecars under %s', (gate) => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const workload = create(chart, { startupGate: gate, sidecars: [PROXY] });
    workload.addSidecar({ name: 'otel', image: 'otel/opentelemetry-collector:0.110.0', readinessCheck: ReadinessCheck.tcpSocket({ port: 4317 }), jobExit: 'it exits when the app stops sending' });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(workload.startupGate).toBe(gate);
    expect(verdicts(pod)).toEqual(gate === StartupGate.STARTUP_PROBE
      ? { proxy: nativeGated('proxy'), otel: nativeGated('otel') }
      : { proxy: legacyGated('proxy', name.endsWith('Job')), otel: legacyGated('otel', name.endsWith('Job')) });
    expectValidManifests(docs, gate === StartupGate.STARTUP_PROBE ? ['1.29', '1.33'] : ['1.27', '1.28', '1.33']);
  });
});

describe('SidecarFirst.attach: any cdk8s-plus-28 workload created elsewhere', () => {
  test.each(KPLUS)('%s', (_kind, create) => {
    // GIVEN a workload written without this library
    const chart = newChart();
    const workload = create(chart);

    // WHEN
    const attached = SidecarFirst.attach(workload, { sidecars: [PROXY] });
    workload.addContainer({ name: 'worker', image: 'my/worker:1' }); // added later: still counted
    attached.addSidecar({ name: 'vault', image: 'hashicorp/vault:1.17', readinessCheck: ReadinessCheck.command(['vault', 'status']) });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.containers.map(c => c.name)).toEqual(['app', 'worker']);
    expect(pod.initContainers!.map(c => c.name)).toEqual(['proxy', 'vault']);
    expect(verdicts(pod)).toEqual({ proxy: nativeGated('proxy'), vault: nativeGated('vault') });
    expectValidManifests(docs);
  });

  test('a workload gets one sidecar set: attaching twice, or to a SidecarFirst construct, is an error', () => {
    // GIVEN
    const chart = newChart();
    const plain = new kplus.Deployment(chart, 'plain', { containers: [APP] });
    SidecarFirst.attach(plain, { sidecars: [PROXY] });
    const ours = new SidecarFirstDeployment(chart, 'ours', { containers: [APP] });

    // WHEN / THEN
    const message = (p: string) => `${p}: sidecars are already managed by cdk8s-sidecar-first for this workload. Add more with addSidecar() on the object the first SidecarFirst.attach() or SidecarFirst.patch() returned (or on the SidecarFirst* construct itself)`;
    expect(() => SidecarFirst.attach(plain)).toThrow(new Error(message('test/plain')));
    expect(() => SidecarFirst.attach(ours)).toThrow(new Error(message('test/ours')));
  });

  test('a Job attached under POST_START needs jobExit on every sidecar', () => {
    // GIVEN
    const job = new kplus.Job(newChart(), 'job', { containers: [APP] });

    // WHEN / THEN
    expect(() => SidecarFirst.attach(job, { startupGate: StartupGate.POST_START, sidecars: [{ ...PROXY, jobExit: undefined }] })).toThrow(new Error(
      'test/job: sidecar "proxy": jobExit is required for a Job or CronJob under StartupGate.POST_START: a sidecar in spec.containers keeps the pod running forever once the app is done. Use StartupGate.STARTUP_PROBE (Kubernetes 1.29+), where the kubelet stops native sidecars after the app; or make the sidecar exit when the app is done and say how in jobExit'));
  });
});

describe('SidecarFirst.patch: any ApiObject with a pod template, through JSON patches', () => {
  const YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: legacy-shop
spec:
  selector:
    matchLabels: { app: shop }
  template:
    metadata:
      labels: { app: shop }
    spec:
      initContainers:
        - name: wait-for-config
          image: busybox:1.36
          command: [sh, -c, 'until [ -f /config/ready ]; do sleep 1; done']
          volumeMounts: [{ name: config, mountPath: /config }]
      containers:
        - name: shop
          image: my/shop:7
          ports: [{ name: http, containerPort: 8080 }]
          readinessProbe: { httpGet: { path: /ready, port: http } }
          resources: { requests: { cpu: 100m, memory: 128Mi } }
      volumes:
        - name: config
          configMap: { name: shop-config }
`;

  function includeYaml(chart: Chart): ApiObject {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sf-include-')), 'shop.yaml');
    fs.writeFileSync(file, YAML);
    return new Include(chart, 'shop', { url: file }).apiObjects[0];
  }

  test.each([StartupGate.STARTUP_PROBE, StartupGate.POST_START])('an Included YAML Deployment, %s: sidecars inserted, the object\'s own entries untouched', (gate) => {
    // GIVEN
    const chart = newChart();
    const shop = includeYaml(chart);
    const before = podSpecOf(shop.toJson())!;

    // WHEN
    SidecarFirst.patch(shop, {
      startupGate: gate,
      sidecars: [{
        name: 'proxy',
        image: 'nginx:1.27',
        portNumber: 80,
        readinessCheck: ReadinessCheck.httpGet('/healthz'),
        drainTime: undefined,
        volumeMounts: [{ path: '/cache', volume: kplus.Volume.fromEmptyDir(chart, 'cache', 'proxy-cache') }],
      }],
    });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.containers.filter(c => c.name === 'shop')).toEqual(before.containers);
    expect(pod.initContainers!.filter(c => c.name === 'wait-for-config')).toEqual(before.initContainers);
    expect(pod.volumes).toEqual([...before.volumes, { name: 'proxy-cache', emptyDir: {} }]);
    expect(verdicts(pod)).toEqual({ proxy: gate === StartupGate.STARTUP_PROBE ? nativeGated('proxy') : legacyGated('proxy') });
    expectValidManifests(docs, gate === StartupGate.STARTUP_PROBE ? ['1.29', '1.33'] : ['1.27', '1.28', '1.33']);
  });

  test('sidecars sharing a volume add it once; a volume the pod has already is not added again', () => {
    // GIVEN
    const chart = newChart();
    const shop = includeYaml(chart);
    const shared = kplus.Volume.fromEmptyDir(chart, 'shared', 'shared');
    const config = kplus.Volume.fromConfigMap(chart, 'config', kplus.ConfigMap.fromConfigMapName(chart, 'cm', 'shop-config'), { name: 'config' });

    // WHEN
    SidecarFirst.patch(shop, {
      sidecars: [
        { name: 'a', image: 'a', readinessCheck: ReadinessCheck.tcpSocket({ port: 1 }), volumeMounts: [{ path: '/shared', volume: shared }, { path: '/config', volume: config }] },
        { name: 'b', image: 'b', readinessCheck: ReadinessCheck.tcpSocket({ port: 2 }), volumeMounts: [{ path: '/shared', volume: shared }] },
      ],
    });

    // THEN
    const { docs, pod } = synth(chart);
    expect(pod.volumes!.map((v: any) => v.name)).toEqual(['config', 'shared']);
    expectValidManifests(docs);
  });

  test('a generated KubeDeployment (typed values such as IntOrString ports survive its serializer)', () => {
    // GIVEN
    const chart = newChart();
    const deployment = new kplus.k8s.KubeDeployment(chart, 'kube', {
      spec: {
        selector: { matchLabels: { app: 'x' } },
        template: { metadata: { labels: { app: 'x' } }, spec: { containers: [{ name: 'app', image: 'my/app:1' }] } },
      },
    });

    // WHEN
    SidecarFirst.patch(deployment, { sidecars: [{ ...PROXY, readinessCheck: ReadinessCheck.tcpSocket() }] });

    // THEN
    const { docs, pod } = synth(chart);
    expect(pod.initContainers![0].startupProbe).toEqual(expect.objectContaining({ tcpSocket: { port: 9901 }, periodSeconds: 1 }));
    expect(verdicts(pod)).toEqual({ proxy: nativeGated('proxy') });
    expectValidManifests(docs);
  });

  test('an object whose serializer drops what the sidecar needs fails synthesis, saying why', () => {
    // GIVEN a Deployment class generated for Kubernetes 1.27, which knows no restartPolicy on containers
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const k8s127 = require('cdk8s-plus-27').k8s;
    const chart = newChart();
    const old = new k8s127.KubeDeployment(chart, 'old', {
      spec: { selector: {}, template: { spec: { containers: [{ name: 'app', image: 'my/app:1' }] } } },
    });

    // WHEN
    SidecarFirst.patch(old, { sidecars: [PROXY] });

    // THEN
    expect(() => Testing.synth(chart)).toThrow(
      'sidecar "proxy" does not hold the app back in the synthesized manifest: this object\'s serializer dropped fields it does not know (was it generated for Kubernetes 1.27 or older?). Use StartupGate.POST_START, or an object generated for Kubernetes 1.29+');
  });

  test('objects without a pod template, and sidecars added after synthesis, are errors', () => {
    // GIVEN
    const chart = newChart();
    const config = new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap' });
    const patched = SidecarFirst.patch(includeYaml(chart), { sidecars: [PROXY] });
    Testing.synth(chart);

    // WHEN / THEN
    expect(() => SidecarFirst.patch(config)).toThrow(new Error(
      'test/config: kind is "ConfigMap", which carries no pod template. Patch one of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob'));
    expect(() => patched.addSidecar({ ...PROXY, name: 'late' })).toThrow(new Error(
      'test/shop/legacy-shop-deployment: sidecars cannot be added after the app was synthesized. Declare every sidecar before synth()'));
  });

  test('patch names clashes with the object\'s own containers at declaration', () => {
    expect(() => SidecarFirst.patch(includeYaml(newChart()), { sidecars: [{ ...PROXY, name: 'shop' }] })).toThrow(new Error(
      'test/shop/legacy-shop-deployment: container name "shop" is used twice (sidecar "shop" and containers[0]). Container names must be unique within a pod (containers, init containers and sidecars); rename one'));
  });

  test('the synthesized workload matches the one SidecarFirstDeployment would give for the same pod', () => {
    // GIVEN the same pod, once built by the construct, once patched into a plain cdk8s-plus Deployment's output
    const chart = newChart();
    new SidecarFirstDeployment(chart, 'a', { containers: [APP], sidecars: [PROXY] });
    const plain = new kplus.Deployment(chart, 'b', { containers: [APP] });
    SidecarFirst.patch(plain.node.findChild('Resource') as ApiObject, { sidecars: [PROXY] });

    // WHEN
    const [a, b] = Testing.synth(chart).map(d => workloadDoc([d])).filter(Boolean);

    // THEN
    expect(podSpecOf(b)).toEqual(podSpecOf(a));
  });
});
