import { ApiObject, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import {
  ReadinessCheck, SidecarFirst, SidecarFirstCronJob, SidecarFirstDeployment, SidecarFirstDeploymentProps, SidecarFirstJob, SidecarProps, StartupGate,
} from '../src';
import { nativeGated, verdicts } from './support/kubelet';
import { newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';

const APP = { name: 'app', image: 'my/app:1' };
const PROXY: SidecarProps = { name: 'proxy', image: 'envoyproxy/envoy:v1.31', portNumber: 9901, readinessCheck: ReadinessCheck.httpGet('/ready') };

describe('Jobs and CronJobs', () => {
  test('under STARTUP_PROBE the sidecars are native, so they end with the job (S2)', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new SidecarFirstJob(chart, 'backup', { containers: [APP], sidecars: [PROXY], kubernetesVersion: '1.30' });

    // THEN
    const { docs, pod } = synth(chart);
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.initContainers!.map(c => [c.name, c.restartPolicy])).toEqual([['proxy', 'Always']]);
    expect(verdicts(pod)).toEqual({ proxy: nativeGated('proxy') });
    expectValidManifests(docs);
  });

  test.each([
    ['SidecarFirstJob', () => new SidecarFirstJob(newChart(), 'backup', { containers: [APP], kubernetesVersion: '1.28', sidecars: [PROXY] })],
    ['SidecarFirstCronJob', () => new SidecarFirstCronJob(newChart(), 'backup', { containers: [APP], schedule: { expressionString: '0 3 * * *' } as any, kubernetesVersion: '1.28', sidecars: [PROXY] })],
  ])('%s under POST_START without jobExit is refused: the pod would never complete (S3)', (_kind, create) => {
    expect(create).toThrow(new Error(
      'test/backup: sidecar "proxy": jobExit is required for a Job or CronJob under StartupGate.POST_START: a sidecar in spec.containers keeps the pod running forever once the app is done. Use StartupGate.STARTUP_PROBE (Kubernetes 1.29+), where the kubelet stops native sidecars after the app; or make the sidecar exit when the app is done and say how in jobExit'));
  });

  test('under POST_START with jobExit, the user has said how the sidecar exits: accepted', () => {
    // GIVEN
    const chart = newChart();

    // WHEN
    new SidecarFirstJob(chart, 'backup', {
      containers: [APP],
      kubernetesVersion: '1.28',
      sidecars: [{ ...PROXY, jobExit: 'the app calls POST http://localhost:9901/quitquitquit when done' }],
    });

    // THEN
    const { docs, pod } = synth(chart);
    expect(pod.containers.map(c => c.name)).toEqual(['proxy', 'app']);
    expectValidManifests(docs, ['1.27', '1.28']);
  });

  test('an ApiObject Job patched under POST_START needs jobExit too', () => {
    // GIVEN
    const job = new ApiObject(newChart(), 'job', {
      apiVersion: 'batch/v1', kind: 'Job', spec: { template: { spec: { restartPolicy: 'Never', containers: [APP] } } },
    } as any);

    // WHEN / THEN
    expect(() => SidecarFirst.patch(job, { kubernetesVersion: '1.27', sidecars: [PROXY] })).toThrow(new Error(
      'test/job: sidecar "proxy": jobExit is required for a Job or CronJob under StartupGate.POST_START: a sidecar in spec.containers keeps the pod running forever once the app is done. Use StartupGate.STARTUP_PROBE (Kubernetes 1.29+), where the kubelet stops native sidecars after the app; or make the sidecar exit when the app is done and say how in jobExit'));
  });
});

describe('drainTime keeps a sidecar alive into the shutdown, where the kubelet does not already', () => {
  const drained = (props: Partial<SidecarFirstDeploymentProps>, sidecar: Partial<SidecarProps> = {}) => {
    const chart = newChart();
    new SidecarFirstDeployment(chart, 'web', { containers: [APP], ...props, sidecars: [{ ...PROXY, drainTime: Duration.seconds(10), ...sidecar }] });
    return synth(chart);
  };
  const proxyOf = (pod: any) => [...(pod.initContainers ?? []), ...pod.containers].find((c: any) => c.name === 'proxy');

  test('native sidecars on 1.29+: nothing to add, they stop after the app (S1)', () => {
    const { docs, pod } = drained({ kubernetesVersion: '1.29' });
    expect(proxyOf(pod).lifecycle).toBeUndefined();
    expectValidManifests(docs);
  });

  test.each<[string, Partial<SidecarFirstDeploymentProps>, string[]]>([
    ['POST_START on 1.28: an exec sleep', { kubernetesVersion: '1.28' }, ['sleep', '10']],
    ['POST_START with waitToolImage: busybox\'s sleep', { kubernetesVersion: '1.27', waitToolImage: 'busybox:1.36-musl' }, ['/sidecar-first/busybox', 'sleep', '10']],
    ['native sidecars on 1.28 (feature gate on), which stop with the app: an exec sleep', { kubernetesVersion: '1.28', startupGate: StartupGate.STARTUP_PROBE }, ['sleep', '10']],
    ['POST_START on 1.33 through cdk8s-plus-28, whose types have no sleep action: an exec sleep', { kubernetesVersion: '1.33', startupGate: StartupGate.POST_START }, ['sleep', '10']],
  ])('%s', (_case, props, command) => {
    // GIVEN / WHEN
    const { docs, pod } = drained(props);

    // THEN
    expect(docs).toMatchSnapshot();
    expect(proxyOf(pod).lifecycle.preStop).toEqual({ exec: { command } });
    expectValidManifests(docs, [props.kubernetesVersion!, '1.33']);
  });

  test('a patched ApiObject on 1.30+ gets the sleep action', () => {
    // GIVEN
    const chart = newChart();
    const pod = new ApiObject(chart, 'pod', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [APP] } } as any);

    // WHEN
    SidecarFirst.patch(pod, { kubernetesVersion: '1.31', startupGate: StartupGate.POST_START, sidecars: [{ ...PROXY, drainTime: Duration.seconds(10) }] });

    // THEN
    const { docs, pod: spec } = synth(chart);
    expect(spec.containers[0].lifecycle!.preStop).toEqual({ sleep: { seconds: 10 } });
    expectValidManifests(docs, ['1.33']);
  });

  test('within the pod\'s grace period: a longer one is accepted', () => {
    const { docs, pod } = drained({ kubernetesVersion: '1.28', terminationGracePeriod: Duration.seconds(60) }, { drainTime: Duration.seconds(45) });
    expect(proxyOf(pod).lifecycle.preStop).toEqual({ exec: { command: ['sleep', '45'] } });
    expectValidManifests(docs, ['1.28']);
  });

  test.each<[string, Partial<SidecarProps>, string]>([
    ['longer than the grace period', { drainTime: Duration.seconds(45) },
      'test/web: sidecar "proxy": drainTime is 45 s, longer than the pod\'s terminationGracePeriod (30 s). Shorten drainTime, or raise terminationGracePeriod to at least Duration.seconds(45): the kubelet kills the sidecar at the end of the grace period'],
    ['not whole seconds', { drainTime: Duration.millis(2500) },
      'test/web: sidecar "proxy": drainTime is 2500 ms, not a whole number of seconds. Use a whole number of seconds, at least 1, e.g. Duration.seconds(10) (hook sleeps are counted in seconds)'],
    ['next to a user preStop', { lifecycle: { preStop: kplus.Handler.fromCommand(['nginx', '-s', 'quit']) } },
      'test/web: sidecar "proxy": drainTime cannot be combined with lifecycle.preStop: the drain is a preStop hook. Remove one of them; to run your own preStop for a while, make it wait itself'],
  ])('%s is an error', (_case, sidecar, message) => {
    expect(() => drained({ kubernetesVersion: '1.28' }, sidecar)).toThrow(message);
  });
});
