import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, Cron, Include, Size, Testing } from 'cdk8s';
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

  const dirs: string[] = [];
  afterAll(() => dirs.forEach(dir => fs.rmSync(dir, { recursive: true, force: true })));

  function includeYaml(chart: Chart): ApiObject {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-include-'));
    dirs.push(dir);
    const file = path.join(dir, 'shop.yaml');
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
    expect(() => Testing.synth(chart)).toThrow(new Error('Validation failed with the following errors:\n  [test/old] '
      + 'sidecar "proxy" does not hold the app back in the synthesized manifest: this object\'s serializer dropped fields it does not know (restartPolicy: a class generated for Kubernetes 1.27 or older, such as cdk8s-plus-27\'s, drops it). Use StartupGate.POST_START (or kubernetesVersion: \'1.27\'), or an object generated for Kubernetes 1.29+'));
  });

  test('a readiness probe that checks more than readinessCheck fails synthesis with the rule that says so', () => {
    // GIVEN a sidecar gated on a TCP port whose own readiness probe is an HTTP path
    const chart = newChart();
    new SidecarFirstDeployment(chart, 'web', {
      containers: [APP],
      sidecars: [{
        name: 'proxy',
        image: 'envoy:1',
        portNumber: 9901,
        readinessCheck: ReadinessCheck.tcpSocket(),
        readiness: kplus.Probe.fromHttpGet('/ready', { port: 9901 }),
      }],
    });

    // WHEN / THEN the app would wait for "port open", not for ready (SF111): not the serializer's fault
    expect(() => Testing.synth(chart)).toThrow(new Error('Validation failed with the following errors:\n  [test/web/Resource] sidecar "proxy" does not hold the app back in the synthesized manifest '
      + '(SF111: startupProbe only checks that port 9901 is open, the readinessProbe is httpGet on port 9901: the app waits for the startup check, not for ready). '
      + 'Make readinessCheck check what the sidecar\'s readiness probe checks (same kind and port), or remove readiness so that readinessCheck is used for both'));
  });

  test('objects without a pod template, and sidecars added after synthesis, are errors', () => {
    // GIVEN
    const chart = newChart();
    const config = new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap' });
    const patched = SidecarFirst.patch(includeYaml(chart), { sidecars: [PROXY] });
    Testing.synth(chart);

    // WHEN / THEN
    expect(() => SidecarFirst.patch(config)).toThrow(new Error(
      'test/config: kind is "ConfigMap", which carries no pod template. Gate sidecars on one of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob'));
    expect(() => patched.addSidecar({ ...PROXY, name: 'late' })).toThrow(new Error(
      'test/shop/legacy-shop-deployment: sidecars cannot be added after the app was synthesized. Declare every sidecar before synth()'));
  });

  test('patch names clashes with the object\'s own containers at declaration', () => {
    expect(() => SidecarFirst.patch(includeYaml(newChart()), { sidecars: [{ ...PROXY, name: 'shop' }] })).toThrow(new Error(
      'test/shop/legacy-shop-deployment: container name "shop" is used twice (sidecar "shop" and containers[0]). Container names must be unique within a pod (containers, init containers and sidecars); rename one'));
  });

  test('the synthesized workload matches the one SidecarFirstDeployment would give for the same pod, once the sidecar states what cdk8s-plus defaults', () => {
    // GIVEN the same pod, once built by the construct, once patched into a plain cdk8s-plus Deployment's output;
    // patch adds none of cdk8s-plus's container defaults, so the sidecar states them
    const chart = newChart();
    const explicit: SidecarProps = {
      ...PROXY,
      imagePullPolicy: kplus.ImagePullPolicy.ALWAYS,
      resources: {
        cpu: { request: kplus.Cpu.millis(1000), limit: kplus.Cpu.millis(1500) },
        memory: { request: Size.mebibytes(512), limit: Size.mebibytes(2048) },
      },
      securityContext: {},
    };
    new SidecarFirstDeployment(chart, 'a', { containers: [APP], sidecars: [PROXY] });
    const plain = new kplus.Deployment(chart, 'b', { containers: [APP] });
    SidecarFirst.patch(plain.node.findChild('Resource') as ApiObject, { sidecars: [explicit] });

    // WHEN
    const [a, b] = Testing.synth(chart).map(d => workloadDoc([d])).filter(Boolean);

    // THEN
    expect(podSpecOf(b)).toEqual(podSpecOf(a));
  });
});

describe('SidecarFirst.attach: declaration errors', () => {
  test('a construct that has no pod-bearing ApiObject is rejected at declaration, saying why', () => {
    // GIVEN
    const chart = newChart();
    const config = new kplus.ConfigMap(chart, 'config');
    const bare = new Construct(chart, 'bare');

    // WHEN / THEN
    expect(() => SidecarFirst.attach(config, { sidecars: [PROXY] })).toThrow(new Error(
      'test/config: workload is a ConfigMap, which carries no pod template. Attach to one of Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob'));
    expect(() => SidecarFirst.attach(bare, { sidecars: [PROXY] })).toThrow(new Error(
      'test/bare: workload has no ApiObject (no default child named "Resource" or "Default"). Attach to a pod-bearing workload (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod) of any cdk8s-plus version, or to its ApiObject'));
  });

  test('attach and patch of one object share its one sidecar set', () => {
    // GIVEN
    const chart = newChart();
    const plain = new kplus.Deployment(chart, 'plain', { containers: [APP] });
    SidecarFirst.attach(plain, { sidecars: [PROXY] });

    // WHEN / THEN
    expect(() => SidecarFirst.patch(ApiObject.of(plain))).toThrow(new Error(
      'test/plain/Resource: sidecars are already managed by cdk8s-sidecar-first for this workload. Add more with addSidecar() on the object the first SidecarFirst.attach() or SidecarFirst.patch() returned (or on the SidecarFirst* construct itself)'));
  });
});

describe('every pod the library emits or patches is valid by construction, and checked at synth', () => {
  test('ordinary init containers get no probe: cdk8s-plus\'s implicit startupProbe is removed from the user\'s and from dependent init containers', () => {
    // GIVEN init containers with a portNumber, on which cdk8s-plus puts an implicit TCP startupProbe
    const chart = newChart();

    // WHEN
    new SidecarFirstDeployment(chart, 'ours', {
      containers: [APP],
      initContainers: [{ name: 'seed', image: 'my/seed:1', portNumber: 9000 }],
      sidecars: [PROXY],
      dependentInitContainers: [{ name: 'migrate', image: 'my/migrate:1', portNumber: 9001, needs: ['proxy'] }],
    });
    const plain = new kplus.Deployment(chart, 'plain', { containers: [APP], initContainers: [{ name: 'seed', image: 'my/seed:1', portNumber: 9000 }] });
    SidecarFirst.attach(plain, { sidecars: [PROXY] });

    // THEN
    const docs = Testing.synth(chart);
    const [ours, attached] = docs.map(podSpecOf).filter(p => p !== undefined);
    expect(ours!.initContainers!.map(c => [c.name, c.startupProbe === undefined])).toEqual([['seed', true], ['proxy', false], ['migrate', true]]);
    expect(attached!.initContainers!.map(c => [c.name, c.startupProbe === undefined])).toEqual([['seed', true], ['proxy', false]]);
    expectValidManifests(docs);
  });

  test('someone else\'s invalid pod is not silently changed: synthesis fails, naming the rule it breaks', () => {
    // GIVEN a YAML pod whose own init container has a readinessProbe, which the API server rejects
    const chart = newChart();
    const pod = new ApiObject(chart, 'pod', {
      apiVersion: 'v1',
      kind: 'Pod',
      spec: {
        initContainers: [{ name: 'seed', image: 'my/seed:1', readinessProbe: { tcpSocket: { port: 9000 } } }],
        containers: [{ name: 'app', image: 'my/app:1' }],
      },
    });

    // WHEN
    SidecarFirst.patch(pod, { sidecars: [PROXY] });

    // THEN
    expect(() => Testing.synth(chart)).toThrow(new Error('Validation failed with the following errors:\n  [test/pod] '
      + 'the synthesized pod would be rejected by the API server: V3: initContainers "seed" has readinessProbe, which is rejected on init containers without restartPolicy: Always'));
  });

  test('under POST_START, kubectl\'s default container is the first app container, unless the pod names one already', () => {
    // GIVEN
    const chart = newChart();
    const proxy = { ...PROXY, jobExit: undefined };
    new SidecarFirstDeployment(chart, 'a', { containers: [APP], sidecars: [proxy], kubernetesVersion: '1.28' });
    const b = new SidecarFirstDeployment(chart, 'b', { containers: [APP, { name: 'worker', image: 'my/worker:1' }], sidecars: [proxy], kubernetesVersion: '1.28' });
    b.podMetadata.addAnnotation('kubectl.kubernetes.io/default-container', 'worker');
    new SidecarFirstDeployment(chart, 'c', { containers: [APP], sidecars: [proxy], kubernetesVersion: '1.29' });

    // WHEN
    const docs = Testing.synth(chart);

    // THEN
    expect(docs.map(d => d.spec.template.metadata.annotations)).toEqual([
      { 'kubectl.kubernetes.io/default-container': 'app' },
      { 'kubectl.kubernetes.io/default-container': 'worker' },
      undefined,
    ]);
    expect(docs.map(d => d.spec.template.spec.containers[0].name)).toEqual(['proxy', 'proxy', 'app']);
  });

  test('jobExit is recorded in the pod template, as JSON from sidecar name to text', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    const job = new SidecarFirstJob(chart, 'job', { containers: [APP], startupGate: StartupGate.POST_START, sidecars: [PROXY] });
    job.addSidecar({ name: 'otel', image: 'otel/opentelemetry-collector:0.110.0', readinessCheck: ReadinessCheck.tcpSocket({ port: 4317 }), jobExit: 'it exits on SIGTERM from the app' });

    // THEN
    const [doc] = Testing.synth(chart);
    expect(JSON.parse(doc.spec.template.metadata.annotations['sidecar-first.dev/job-exit'])).toEqual({
      proxy: 'the app calls POST http://localhost:9901/quitquitquit when done',
      otel: 'it exits on SIGTERM from the app',
    });
  });
});

test('app.synth(), as `cdk8s synth` runs it, runs the synth-time checks and writes nothing when they fail', () => {
  // GIVEN a Deployment class generated for Kubernetes 1.27, which drops restartPolicy, gated with a native sidecar
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const k8s127 = require('cdk8s-plus-27').k8s;
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-synth-'));
  try {
    const app = new App({ outdir });
    const chart = new Chart(app, 'test');
    const old = new k8s127.KubeDeployment(chart, 'old', { spec: { selector: {}, template: { spec: { containers: [{ name: 'app', image: 'my/app:1' }] } } } });
    SidecarFirst.patch(old, { sidecars: [PROXY] });

    // WHEN / THEN
    expect(() => app.synth()).toThrow(/^Validation failed with the following errors:\n {2}\[test\/old\] sidecar "proxy" does not hold the app back in the synthesized manifest/);
    expect(fs.readdirSync(outdir)).toEqual([]);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
});
