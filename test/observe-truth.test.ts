import { Outcome } from '../src';
import { failureShapes } from './node/differential/failure-shapes';
import { contradiction, settled, Truth } from './node/differential/observe-truth';
import { renderPod } from './node/differential/shapes';

// The comparison of observe's verdicts with the stand-in's stamps (test/node/observe.node.test.ts): each verdict is
// contradicted by the stamps that show the opposite, and stamps after the collection are not looked at.

const truth = (containers: Truth['containers'], collectedAt = 100): Truth => ({ containers, collectedAt });
const stamps = (starts: number[], readies: number[] = [], exits: number[] = []) => ({ starts, readies, exits });

describe('observe verdicts against the stand-in\'s stamps', () => {
  test.each([
    // [outcome, sidecar stamps, app stamps, contradiction]
    [Outcome.HELD, stamps([0], [3]), stamps([3.2]), undefined],
    [Outcome.HELD, stamps([0], [3]), stamps([2.9]), 'app started 0.10 s before s0 was ready'],
    [Outcome.HELD, stamps([0]), stamps([1]), 's0 was never ready'],
    [Outcome.RACED, stamps([0], [8]), stamps([1]), undefined],
    [Outcome.RACED, stamps([0]), stamps([1]), undefined],
    [Outcome.RACED, stamps([0], [3]), stamps([3.5]), 'no app container started before s0 was ready'],
    [Outcome.CRASHED_WAITING, stamps([0], [8]), stamps([1, 11], [], [1.01]), undefined],
    [Outcome.CRASHED_WAITING, stamps([0], [8]), stamps([1]), 'no app container exited and restarted before s0 was ready'],
    [Outcome.GAVE_UP, stamps([0, 7]), stamps([6]), undefined],
    [Outcome.GAVE_UP, stamps([0], [2]), stamps([6]), 'an app container started after s0 was ready'],
    [Outcome.GAVE_UP, stamps([0]), undefined, 'no app container started'],
    [Outcome.RESTARTING, stamps([0, 4, 8]), undefined, undefined],
    [Outcome.RESTARTING, stamps([0]), undefined, 's0 did not restart'],
    [Outcome.RESTARTING, stamps([0, 103]), undefined, undefined],
    [Outcome.RESTARTING, stamps([0, 106]), undefined, 's0 did not restart'],
    [Outcome.RESTARTING, stamps([0, 4], [2]), undefined, 's0 was ready'],
    [Outcome.RESTARTING, stamps([0, 4]), stamps([6]), 'app had started'],
    [Outcome.NOT_STARTED, stamps([0]), undefined, undefined],
    [Outcome.NOT_STARTED, stamps([0]), stamps([1]), 'app had started'],
    [Outcome.UNKNOWN, stamps([0], [3]), stamps([1]), undefined],
  ])('%s, sidecar %j, app %j: %s', (outcome, sidecar, app, expected) => {
    // GIVEN the stamps of a sidecar s0 and an app
    // WHEN observe's verdict is compared with them
    // THEN it is contradicted exactly when they show otherwise
    expect(contradiction(outcome, 's0', ['app'], truth({ s0: sidecar, app }))).toBe(expected);
  });

  test('an app start less than the status lag before the collection does not contradict "not started"', () => {
    // GIVEN an app that started 4 s before the collection, 6 s before
    // THEN the status may not have shown the first, must have shown the second
    expect(contradiction(Outcome.NOT_STARTED, 's0', ['app'], truth({ s0: stamps([0]), app: stamps([36]) }, 40))).toBeUndefined();
    expect(contradiction(Outcome.NOT_STARTED, 's0', ['app'], truth({ s0: stamps([0]), app: stamps([34]) }, 40))).toBe('app had started');
  });

  test('stamps after the collection are not looked at', () => {
    // GIVEN an app that started after the inputs were collected
    const t = truth({ s0: stamps([0]), app: stamps([50]) }, 40);
    // THEN "not started" was right when observed
    expect(contradiction(Outcome.NOT_STARTED, 's0', ['app'], t)).toBeUndefined();
  });

  test('a pod has settled when its app started and every sidecar that will be ready is; a crashing app never settles', () => {
    // GIVEN a shape with a sidecar ready after 8 s and one never ready
    const shape = { id: 'x', sidecars: [{ name: 's0', where: 'native' as const, readyAfter: 8 }, { name: 's1', where: 'native' as const, readyAfter: 'never' as const }] };
    // THEN
    expect(settled(shape, { s0: stamps([0], [8]), s1: stamps([0]), app: stamps([9]) })).toBe(true);
    expect(settled(shape, { s0: stamps([0]), s1: stamps([0]), app: stamps([1]) })).toBe(false);
    expect(settled(shape, { s0: stamps([0], [8]), s1: stamps([0]) })).toBe(false);
    expect(settled({ ...shape, appRequires: 0 }, { s0: stamps([0], [8]), s1: stamps([0]), app: stamps([1, 12], [], [2]) })).toBe(false);
  });

  test('the failure modes: each once per copy, the crashing app asking its sidecar, on the stand-in', () => {
    const shapes = failureShapes(2);
    expect(shapes.map(s => s.id)).toEqual([
      'f-held-native-0', 'f-held-native-1', 'f-held-hook-0', 'f-held-hook-1', 'f-never-ready-0', 'f-never-ready-1',
      'f-late-ready-0', 'f-late-ready-1', 'f-app-crashes-0', 'f-app-crashes-1', 'f-legacy-crashes-0', 'f-legacy-crashes-1',
      'f-hook-gives-up-0', 'f-hook-gives-up-1', 'f-startup-loop-0', 'f-startup-loop-1',
    ]);
    const crashing = renderPod(shapes[8], 'standin');
    expect(crashing.containers).toEqual([{ name: 'app', image: 'standin', args: ['-require-url=http://127.0.0.1:8080/ready'] }]);
  });
});
