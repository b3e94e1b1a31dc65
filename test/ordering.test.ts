import { ReadinessCheck, SidecarFirstDeployment, SidecarFirstDeploymentProps, SidecarProps, StartupGate } from '../src';
import { nativeGated, verdicts } from './support/kubelet';
import { newChart, synth } from './support/manifests';
import { expectValidManifests } from './support/schema';
import { startsAfterGate } from '../src/private/rules/kubelet-rules';

const APP = { name: 'app', image: 'my/app:1' };
const sidecar = (name: string, dependsOn?: string[]): SidecarProps => ({
  name, image: `example/${name}:1`, readinessCheck: ReadinessCheck.tcpSocket({ port: 9000 }), dependsOn,
});

function build(props: Partial<SidecarFirstDeploymentProps>) {
  const chart = newChart();
  const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], ...props });
  return { chart, web };
}

describe('sidecars start in declaration order, reordered only as dependsOn requires', () => {
  test.each<[string, SidecarProps[], string[]]>([
    ['no dependencies: declaration order', [sidecar('a'), sidecar('b'), sidecar('c')], ['a', 'b', 'c']],
    ['a dependency declared later moves before its dependent', [sidecar('a', ['c']), sidecar('b'), sidecar('c')], ['b', 'c', 'a']],
    ['already satisfied: order kept', [sidecar('a'), sidecar('b'), sidecar('c', ['a'])], ['a', 'b', 'c']],
    ['a chain', [sidecar('mesh', ['certs']), sidecar('certs', ['vault']), sidecar('vault')], ['vault', 'certs', 'mesh']],
  ])('%s', (_case, sidecars, order) => {
    // GIVEN / WHEN
    const { chart } = build({ sidecars });

    // THEN
    const { docs, pod } = synth(chart);
    expect(pod.initContainers!.map(c => c.name)).toEqual(order);
    for (const s of sidecars) {
      for (const dep of s.dependsOn ?? []) {
        expect([s.name, dep, startsAfterGate(pod, s.name!, dep)]).toEqual([s.name, dep, true]);
      }
    }
    expectValidManifests(docs);
  });

  test('under POST_START too: the containers follow the same order', () => {
    // GIVEN / WHEN
    const { chart } = build({ startupGate: StartupGate.POST_START, sidecars: [sidecar('a', ['c']), sidecar('b'), sidecar('c')] });

    // THEN
    const { pod } = synth(chart);
    expect(pod.containers.map(c => c.name)).toEqual(['b', 'c', 'a', 'app']);
    expect(startsAfterGate(pod, 'a', 'c')).toBe(true);
  });

  test.each<[string, SidecarProps[], string]>([
    ['an unknown name', [sidecar('a', ['vault'])],
      'test/web: sidecar "a": dependsOn names "vault", which is not a sidecar of this pod. Name one of the pod\'s sidecars: "a"'],
    ['a cycle', [sidecar('a', ['b']), sidecar('b', ['c']), sidecar('c', ['a'])],
      'test/web: dependsOn has a cycle: a -> b -> c -> a. Remove one of these dependencies; sidecars start one after the other, so a cycle can never start'],
    ['a cycle behind a free sidecar', [sidecar('free'), sidecar('x', ['y']), sidecar('y', ['x'])],
      'test/web: dependsOn has a cycle: x -> y -> x. Remove one of these dependencies; sidecars start one after the other, so a cycle can never start'],
    ['a sidecar depending on itself', [sidecar('a', ['a'])],
      'test/web: dependsOn has a cycle: a -> a. Remove one of these dependencies; sidecars start one after the other, so a cycle can never start'],
  ])('%s is an error at synthesis (sidecars can still be added until then)', (_case, sidecars, message) => {
    // GIVEN
    const { chart } = build({ sidecars });

    // WHEN / THEN
    expect(() => synth(chart)).toThrow(message);
  });
});

describe('init containers that need sidecars (a migration that needs the database proxy)', () => {
  const dbProxy = { ...sidecar('db-proxy'), readinessCheck: ReadinessCheck.tcpSocket({ port: 5432 }) };

  test('ordinary init containers run first; a dependent one right after the last sidecar it needs', () => {
    // GIVEN
    const { chart, web } = build({
      initContainers: [{ name: 'render-config', image: 'example/render:1' }],
      sidecars: [sidecar('mesh'), dbProxy, sidecar('otel')],
      dependentInitContainers: [{ name: 'migrate', image: 'example/migrate:1', command: ['migrate', 'up'], needs: ['db-proxy'] }],
    });

    // WHEN
    web.addDependentInitContainer({ name: 'warm-cache', image: 'example/warm:1', needs: ['mesh'] });

    // THEN
    const { docs, pod } = synth(chart);
    expect(docs).toMatchSnapshot();
    expect(pod.initContainers!.map(c => [c.name, c.restartPolicy])).toEqual([
      ['render-config', undefined],
      ['mesh', 'Always'],
      ['warm-cache', undefined],
      ['db-proxy', 'Always'],
      ['migrate', undefined],
      ['otel', 'Always'],
    ]);
    expect(startsAfterGate(pod, 'migrate', 'db-proxy')).toBe(true);
    expect(startsAfterGate(pod, 'warm-cache', 'mesh')).toBe(true);
    expect(startsAfterGate(pod, 'render-config', 'mesh')).toBe(false);
    expect(verdicts(pod)).toEqual({ 'mesh': nativeGated('mesh'), 'db-proxy': nativeGated('db-proxy'), 'otel': nativeGated('otel') });
    expectValidManifests(docs);
  });

  test.each<[string, Partial<SidecarFirstDeploymentProps>, string]>([
    ['under POST_START, which cannot do it', { startupGate: StartupGate.POST_START, dependentInitContainers: [{ name: 'migrate', image: 'm', needs: ['db-proxy'] }] },
      'test/web: init container "migrate": needs is ["db-proxy"], but under StartupGate.POST_START sidecars are regular containers and every init container runs before them. Use StartupGate.STARTUP_PROBE (Kubernetes 1.29+), or run this work in the app container'],
    ['with no needs', { dependentInitContainers: [{ name: 'migrate', image: 'm', needs: [] }] },
      'test/web: init container "migrate": needs is empty. Name the sidecars it needs, or declare it in initContainers (which run before the sidecars)'],
    ['with a probe', { dependentInitContainers: [{ name: 'migrate', image: 'm', needs: ['db-proxy'], readiness: undefined, startup: {} as any }] },
      'test/web: init container "migrate": startup must not be set: the API server rejects it on init containers that run to completion. Remove startup; if this container should keep running, declare it as a sidecar'],
    ['named like a sidecar', { dependentInitContainers: [{ name: 'db-proxy', image: 'm', needs: ['db-proxy'] }] },
      'test/web: container name "db-proxy" is used twice (sidecar "db-proxy" and init container "db-proxy"). Container names must be unique within a pod (containers, init containers and sidecars); rename one'],
  ])('%s: an error at declaration', (_case, props, message) => {
    expect(() => build({ sidecars: [dbProxy], ...props })).toThrow(new Error(message));
  });

  test('needing an unknown sidecar is an error at synthesis', () => {
    // GIVEN
    const { chart } = build({ sidecars: [dbProxy], dependentInitContainers: [{ name: 'migrate', image: 'm', needs: ['redis-proxy'] }] });

    // WHEN / THEN
    expect(() => synth(chart)).toThrow(
      'test/web: init container "migrate": needs names "redis-proxy", which is not a sidecar of this pod. Name one of the pod\'s sidecars: "db-proxy"');
  });
});
