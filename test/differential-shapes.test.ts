/**
 * The differential test's generator and oracle (test/node/differential/), without a node:
 * the same seed gives the same shapes, every shape is a pod the API server accepts, the
 * default seed reaches every placement, check and hook, and the comparison can fail.
 */
import { Gate } from '../src';
import { Claim, judge, predict, verdictsOf } from './node/differential/oracle';
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
      ...['poll', 'once-ok', 'once-check', 'fail', 'sleep', 'http-serving', 'http-closed', 'tcp'].map(h => `hook ${h}`),
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
  const claim = (kind: Claim['kind'], sidecar = 's0', gate = Gate.NONE): Claim => ({ sidecar, kind, gate, verdict: '' });
  const shape = REGRESSIONS[0];

  test('GIVEN the claim that the app waits WHEN the app started before the sidecar was ready THEN it disagrees', () => {
    expect(judge(shape, [claim('waits')], { appStart: 9, sidecars: { s0: { start: 1, ready: 9.5 } } })[0].outcome).toBe('disagrees');
    expect(judge(shape, [claim('waits')], { appStart: 10, sidecars: { s0: { start: 1, ready: 9.5 } } })[0].outcome).toBe('agrees');
    expect(judge(shape, [claim('waits')], { sidecars: { s0: { start: 1 } } })[0].outcome).toBe('agrees');
  });

  test('GIVEN the claim that the app does not wait WHEN it started after, or just before, the sidecar was ready THEN it disagrees, or is too close to call', () => {
    expect(judge(shape, [claim('does-not-wait')], { appStart: 2, sidecars: { s0: { start: 1, ready: 9 } } })[0].outcome).toBe('agrees');
    expect(judge(shape, [claim('does-not-wait')], { appStart: 2, sidecars: { s0: { start: 1 } } })[0].outcome).toBe('agrees');
    expect(judge(shape, [claim('does-not-wait')], { appStart: 10, sidecars: { s0: { start: 1, ready: 9 } } })[0].outcome).toBe('disagrees');
    expect(judge(shape, [claim('does-not-wait')], { appStart: 8.8, sidecars: { s0: { start: 1, ready: 9 } } })[0].outcome).toBe('too-close');
    expect(judge(shape, [claim('does-not-wait')], { sidecars: { s0: { start: 1, ready: 9 } } })[0].outcome).toBe('disagrees');
  });

  test('GIVEN another sidecar with a gate WHEN the app started after a sidecar it does not wait for THEN that claim is inconclusive', () => {
    const judged = judge(shape, [claim('does-not-wait'), claim('waits', 's1', Gate.STARTUP_PROBE)],
      { appStart: 20, sidecars: { s0: { start: 1, ready: 9 }, s1: { start: 2, ready: 19 } } });
    expect(judged.map(j => j.outcome)).toEqual(['inconclusive', 'agrees']);
  });

  test('GIVEN the claim that the app never starts WHEN it started THEN it disagrees', () => {
    expect(judge(shape, [claim('holds-forever')], { appStart: 3, sidecars: { s0: { start: 1 } } })[0].outcome).toBe('disagrees');
    expect(judge(shape, [claim('holds-forever')], { sidecars: { s0: { start: 1 } } })[0].outcome).toBe('agrees');
    expect(judge(shape, [claim('app-starts')], { sidecars: { s0: { start: 1 } } })[0].outcome).toBe('disagrees');
  });
});
