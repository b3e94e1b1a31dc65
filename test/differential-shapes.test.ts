/**
 * The differential test's generator and oracle (test/node/differential/), without a node:
 * the same seed gives the same shapes, every shape is a pod the API server accepts, the
 * default seed reaches every placement, check and hook, and the comparison can fail.
 */
import { Gate, StartsBeforeApp } from '../src';
import { Claim, judge, nextAfter, predict, verdictsOf } from './node/differential/oracle';
import { REGRESSIONS } from './node/differential/regressions';
import { describeShape, generateShapes, PodShape, renderPod } from './node/differential/shapes';
import { apiViolations } from '../src/private/rules/kubelet-rules';

const V137 = { major: 1, minor: 37, patch: 2 };
const SEED = 20261202;

describe('shapes', () => {
  test('GIVEN a seed WHEN shapes are generated twice, or fewer of them THEN they are the same', () => {
    expect(generateShapes(7, 30)).toEqual(generateShapes(7, 30));
    expect(generateShapes(7, 10)).toEqual(generateShapes(7, 30).slice(0, 10));
    expect(generateShapes(8, 10)).not.toEqual(generateShapes(7, 10));
  });

  test('GIVEN the default seed WHEN its shapes are rendered THEN the API server accepts every pod and they cover every placement, check, hook and claim', () => {
    const shapes: PodShape[] = [...REGRESSIONS, ...generateShapes(SEED, 100)];
    const seen = new Set<string>();
    for (const shape of shapes) {
      const spec = renderPod(shape, 'standin');
      // A tcpSocket hook is accepted by the API server and fails at run time (SF305): on purpose.
      expect([shape.id, apiViolations(spec, V137).filter(v => !/postStart uses tcpSocket/.test(v))]).toEqual([shape.id, []]);
      for (const s of shape.sidecars) {
        seen.add(`where ${s.where}`);
        seen.add(`ready ${s.readyAfter === 'never' ? 'never' : 'later'}`);
        for (const kind of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) {
          if (s[kind]) seen.add(`${kind} ${s[kind]!.kind}`);
        }
        if (s.postStart) seen.add(`hook ${s.postStart.kind}`);
      }
      for (const claim of predict(shape, verdictsOf(shape, spec, V137))) {
        seen.add(`claim ${claim.kind}`);
      }
      seen.add(`sidecars ${shape.sidecars.length}`);
    }
    const expected = [
      ...['native', 'init', 'before-app', 'after-app'].map(w => `where ${w}`), 'ready never', 'ready later',
      ...['startupProbe', 'readinessProbe', 'livenessProbe'].flatMap(p => ['exec', 'httpGet', 'tcpSocket', 'grpc'].map(k => `${p} ${k}`)),
      ...['poll', 'once-ok', 'once-check', 'fail', 'sleep', 'http-answering', 'http-closed', 'tcp'].map(h => `hook ${h}`),
      ...['waits', 'does-not-wait', 'holds-forever', 'app-starts'].map(c => `claim ${c}`),
      'sidecars 1', 'sidecars 2', 'sidecars 3',
    ];
    expect(expected.filter(e => !seen.has(e))).toEqual([]);
  });

  test('GIVEN a shape WHEN described THEN one line names each sidecar, where it is, when it is ready, its probes and hook', () => {
    expect(describeShape(REGRESSIONS[2])).toBe('r-native-startup-tcp-weaker: [s0 native ready=10s startup=tcpSocket/p1f30 readiness=httpGet/p1f30]');
  });
});

describe('oracle', () => {
  // One native sidecar s0 before the app, one legacy sidecar s1 after it.
  const shape: PodShape = { id: 't', sidecars: [{ name: 's0', where: 'native', readyAfter: 8 }, { name: 's1', where: 'after-app', readyAfter: 8 }] };
  const spec = renderPod(shape, 'standin');
  const claim = (kind: Claim['kind'], sidecar = 's0'): Claim => ({ sidecar, kind, gate: Gate.NONE, startsBeforeApp: StartsBeforeApp.IN_PARALLEL, verdict: '' });
  const outcome = (c: Claim, app: number | undefined, s0: { start?: number; ready?: number }, s1: { start?: number; ready?: number } = {}) =>
    judge(shape, spec, [c], { containers: { app: { start: app }, s0, s1 } })[0].outcome;

  test('GIVEN a sidecar WHEN the next container in start order is looked for THEN it is the app, or the app for a sidecar after it', () => {
    expect([nextAfter(shape, spec, 's0'), nextAfter(shape, spec, 's1')]).toEqual(['app', 'app']);
    const two: PodShape = { id: 't', sidecars: [{ name: 's0', where: 'native', readyAfter: 8 }, { name: 's1', where: 'before-app', readyAfter: 8 }] };
    expect(nextAfter(two, renderPod(two, 'standin'), 's0')).toBe('s1');
  });

  test('GIVEN the claim that the app waits WHEN the next container started before the sidecar was ready THEN it disagrees', () => {
    expect(outcome(claim('waits'), 9, { start: 1, ready: 9.5 })).toBe('disagrees');
    expect(outcome(claim('waits'), 10, { start: 1, ready: 9.5 })).toBe('agrees');
    expect(outcome(claim('waits'), undefined, { start: 1 })).toBe('agrees');
  });

  test('GIVEN the claim that the app does not wait WHEN the next container started after, or just before, the sidecar was ready THEN it disagrees, or is too close to call', () => {
    expect(outcome(claim('does-not-wait'), 2, { start: 1, ready: 9 })).toBe('agrees');
    expect(outcome(claim('does-not-wait'), 2, { start: 1 })).toBe('agrees');
    expect(outcome(claim('does-not-wait'), 10, { start: 1, ready: 9 })).toBe('disagrees');
    expect(outcome(claim('does-not-wait'), 8.8, { start: 1, ready: 9 })).toBe('too-close');
    expect(outcome(claim('does-not-wait'), undefined, { start: 1, ready: 9 })).toBe('disagrees');
    expect(outcome(claim('does-not-wait', 's1'), 2, { start: 1, ready: 9 }, { start: 2.1, ready: 10 })).toBe('agrees');
  });

  test('GIVEN a sidecar that never started WHEN its claim is judged THEN it is inconclusive', () => {
    expect(outcome(claim('does-not-wait', 's1'), undefined, { start: 1 })).toBe('inconclusive');
  });

  test('GIVEN the claim that the app never starts, or starts anyway WHEN it did the other THEN it disagrees', () => {
    expect(outcome(claim('holds-forever'), 3, { start: 1 })).toBe('disagrees');
    expect(outcome(claim('holds-forever'), undefined, { start: 1 })).toBe('agrees');
    expect(outcome(claim('app-starts'), undefined, { start: 1 })).toBe('disagrees');
    expect(outcome(claim('app-starts'), 3, { start: 1 })).toBe('agrees');
  });
});
