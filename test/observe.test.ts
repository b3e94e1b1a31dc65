import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { InputKind, Outcome, PodObservation, PodObserver } from '../src';
import { run as runIn, tree } from './support/cli-run';
import { at, event, LEGACY_HOOK, LEGACY_PLAIN, list, NATIVE_READINESS, NATIVE_STARTUP, pod } from './support/observe-fixtures';
import { CliIo, main } from '../src/cli/main';

/* eslint-disable @typescript-eslint/no-explicit-any */

const only = (pods: PodObservation[]) => {
  expect(pods).toHaveLength(1);
  expect(pods[0].sidecars).toHaveLength(1);
  return pods[0].sidecars[0];
};

async function run(args: string[], stdin: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: t => { stdout += t; },
    stderr: t => { stderr += t; },
    stdin: async function* () { yield stdin; },
  };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

// A native sidecar held by its startupProbe: Initialized at 9 s, the app a full second later.
const HELD = pod({
  name: 'held',
  spec: NATIVE_STARTUP,
  init: [{ name: 'proxy', running: 1, started: true, ready: true }],
  containers: [{ name: 'app', running: 10, ready: true }],
  conditions: {
    PodReadyToStartContainers: [true, 1], Initialized: [true, 9], ContainersReady: [true, 10], Ready: [true, 10], PodScheduled: [true, 0],
  },
});

// A native sidecar with only a readinessProbe: the app starts at 2 s, the probe fails until 9 s.
const RACED_STATUS = pod({
  name: 'raced',
  spec: NATIVE_READINESS,
  init: [{ name: 'proxy', running: 1, started: true, ready: true }],
  containers: [{ name: 'app', running: 2, ready: true }],
  conditions: { Initialized: [true, 1], ContainersReady: [true, 10], Ready: [true, 10], PodScheduled: [true, 0] },
});
// The first status a watch of that pod saw: the sidecar not ready yet at 9 s, the app running since 2 s.
const RACED_FIRST = pod({
  name: 'raced',
  spec: NATIVE_READINESS,
  resourceVersion: '90',
  init: [{ name: 'proxy', running: 1, started: true, ready: false }],
  containers: [{ name: 'app', running: 2, ready: true }],
  conditions: { Initialized: [true, 1], ContainersReady: [false, 9], Ready: [false, 9], PodScheduled: [true, 0] },
});
const RACED_EVENTS = [
  event({ pod: 'raced', fieldPath: 'spec.initContainers{proxy}', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', first: 3, last: 9, count: 4 }),
  event({ pod: 'raced', fieldPath: 'spec.containers{app}', reason: 'Started', message: 'Started container app', type: 'Normal', first: 2 }),
];

describe('PodObserver: one rule per outcome, each with its evidence and the least input that decides it', () => {
  test('held: the pod was Initialized (startupProbe passed) a full second before the app started; decided by the status alone', () => {
    // GIVEN kubectl get pods -o json of a native sidecar held by its startupProbe
    // WHEN observed
    const s = only(PodObserver.observe([list([HELD])]));
    // THEN held, from the status, with the check verdict beside it
    expect(s.outcome).toBe(Outcome.HELD);
    expect(s.decidedBy).toBe(InputKind.STATUS);
    expect(s.check.appWaitsForReady).toBe(true);
    expect(s.evidence).toEqual([
      { source: 'status', fact: `the pod was Initialized (every native sidecar had passed its startupProbe) at ${at(9)}`, time: at(9) },
      { source: 'status', fact: 'app container app first started a second or more later', time: at(10) },
    ]);
  });

  test('the app started within the second of Initialized: unknown, and it says which command would decide', () => {
    // GIVEN the same pod with the app started in the same second as the Initialized transition
    const samesecond = pod({
      ...{ name: 'close', spec: NATIVE_STARTUP },
      init: [{ name: 'proxy', running: 1, started: true, ready: true }],
      containers: [{ name: 'app', running: 9, ready: true }],
      conditions: { Initialized: [true, 9] },
    });
    // WHEN observed
    const s = only(PodObserver.observe([samesecond]));
    // THEN unknown: times are whole seconds; events would tell more
    expect(s.outcome).toBe(Outcome.UNKNOWN);
    expect(s.decidedBy).toBeUndefined();
    expect(s.missing).toBe('events: kubectl get pods,events -o json (events expire an hour after they happen, by default)');
  });

  test('raced: a watch saw the sidecar not ready yet, its readiness probe failing a full second after the app started; the last status and events cannot tell', () => {
    // GIVEN the pod's statuses as a watch (first: the sidecar not ready yet at 9 s, the app running since 2 s) and its events
    // WHEN observed
    const s = only(PodObserver.observe([RACED_FIRST, RACED_STATUS, ...RACED_EVENTS]));
    // THEN raced, decided by the watch
    expect(s.outcome).toBe(Outcome.RACED);
    expect(s.decidedBy).toBe(InputKind.WATCH);
    expect(s.check.appWaitsForReady).toBe(false);
    expect(s.evidence).toEqual([
      { source: 'watch', fact: 'app container app was running', time: at(2) },
      { source: 'events', fact: `event Unhealthy: Readiness probe failed: HTTP probe failed with statuscode: 503 (x4, first at ${at(3)})`, time: at(9) },
    ]);
    // AND from the last status and the events alone: unknown, since a readinessProbe also fails after the
    // sidecar's first readiness (the app rightly held, the sidecar relapsing); the watch would tell
    const late = only(PodObserver.observe([list([RACED_STATUS, ...RACED_EVENTS])]));
    expect(late.outcome).toBe(Outcome.UNKNOWN);
    expect(late.missing).toBe('the order of changes: kubectl get pods --watch -o json, started before the pod');
  });

  test('a readiness probe failing after the watch saw the sidecar ready is a relapse, not a race', () => {
    // GIVEN a watch whose first frame already shows the sidecar ready, and a failed readiness probe later
    const ready = pod({ ...{ name: 'raced', spec: NATIVE_READINESS, resourceVersion: '90' }, init: [{ name: 'proxy', running: 1, started: true, ready: true }], containers: [{ name: 'app', running: 2, ready: true }] });
    // WHEN observed
    const s = only(PodObserver.observe([ready, RACED_STATUS, ...RACED_EVENTS]));
    // THEN not raced
    expect(s.outcome).not.toBe(Outcome.RACED);
  });

  test('a failed probe in the same second as the app start proves nothing', () => {
    const events = [event({ pod: 'raced', fieldPath: 'spec.initContainers{proxy}', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', first: 2 })];
    expect(only(PodObserver.observe([RACED_STATUS, ...events])).outcome).toBe(Outcome.UNKNOWN);
  });

  test('events of another pod of the same name (another uid) are not evidence', () => {
    const events = RACED_EVENTS.map(e => ({ ...e, involvedObject: { ...e.involvedObject, uid: 'uid-of-an-older-pod' } }));
    const [p] = PodObserver.observe([RACED_STATUS, ...events]);
    expect(p.events).toBe(0);
    expect(p.sidecars[0].outcome).toBe(Outcome.UNKNOWN);
  });

  test('a sidecar still not ready long after the app started: unknown from the status alone (it may have been ready before)', () => {
    // GIVEN a sidecar not ready (probe period 2 s) and an app that started at 2 s, and a status holding a time of 20 s
    const never = pod({
      name: 'never',
      spec: NATIVE_READINESS,
      init: [{ name: 'proxy', running: 1, started: true, ready: false }],
      containers: [{ name: 'app', running: 2, ready: true }, { name: 'worker', running: 20, ready: true }],
      conditions: { Initialized: [true, 1], ContainersReady: [false, 1] },
    });
    // WHEN observed
    const s = only(PodObserver.observe([never]));
    // THEN unknown: a readinessProbe fails after readiness too; the watch says which came first
    expect(s.outcome).toBe(Outcome.UNKNOWN);
    expect(s.missing).toBe('the order of changes: kubectl get pods --watch -o json, started before the pod');
  });

  test('crashed-waiting: the app\'s previous instance ended before a failed probe of the sidecar', () => {
    const crashed = pod({
      name: 'crashed',
      spec: NATIVE_READINESS,
      init: [{ name: 'proxy', running: 1, started: true, ready: true }],
      containers: [{ name: 'app', running: 4, ready: true, restartCount: 1, last: { startedAt: 2, finishedAt: 3, exitCode: 1 } }],
      conditions: { Initialized: [true, 1] },
    });
    // The watch's first frame: the sidecar not ready yet at 8 s.
    const first = pod({
      name: 'crashed',
      spec: NATIVE_READINESS,
      resourceVersion: '90',
      init: [{ name: 'proxy', running: 1, started: true, ready: false }],
      containers: [{ name: 'app', running: 4, ready: true, restartCount: 1, last: { startedAt: 2, finishedAt: 3, exitCode: 1 } }],
      conditions: { Initialized: [true, 1], ContainersReady: [false, 8] },
    });
    const events = [event({ pod: 'crashed', fieldPath: 'spec.initContainers{proxy}', reason: 'Unhealthy', message: 'Readiness probe failed: HTTP probe failed with statuscode: 503', first: 2, last: 8, count: 4 })];
    const s = only(PodObserver.observe([first, crashed, ...events]));
    expect(s.outcome).toBe(Outcome.CRASHED_WAITING);
    expect(s.decidedBy).toBe(InputKind.WATCH);
    expect(s.evidence[0]).toEqual({ source: 'watch', fact: `app container app was restarted: its previous instance ended at ${at(3)}, exit code 1, reason Error`, time: at(3) });
  });

  test('gave-up: a legacy wait hook failed (FailedPostStartHook), its reason in the termination message, and the app started', () => {
    const gaveUp = pod({
      name: 'gave-up',
      spec: LEGACY_HOOK,
      containers: [
        { name: 'proxy', running: 8, restartCount: 1, last: { startedAt: 1, finishedAt: 7, exitCode: 137, message: 'proxy not ready after 6 s\n' } },
        { name: 'app', running: 8, ready: true },
      ],
    });
    const events = [
      event({ pod: 'gave-up', fieldPath: 'spec.containers{proxy}', reason: 'FailedPostStartHook', message: 'PostStartHook failed', first: 7 }),
      event({ pod: 'gave-up', fieldPath: 'spec.containers{proxy}', reason: 'Killing', message: 'FailedPostStartHook', first: 7 }),
    ];
    const s = only(PodObserver.observe([list([gaveUp, ...events])]));
    expect(s.outcome).toBe(Outcome.GAVE_UP);
    expect(s.decidedBy).toBe(InputKind.EVENTS);
    expect(s.evidence.map(e => e.fact)).toEqual([
      'event FailedPostStartHook: PostStartHook failed',
      'the hook\'s reason: proxy not ready after 6 s',
      'app container app started',
    ]);
  });

  test('gave-up from the status alone: the sidecar waits with PostStartHookError', () => {
    const gaveUp = pod({
      name: 'gave-up',
      spec: LEGACY_HOOK,
      containers: [
        { name: 'proxy', waiting: 'PostStartHookError', restartCount: 1, last: { startedAt: 1, finishedAt: 7, exitCode: 137 } },
        { name: 'app', running: 8, ready: true },
      ],
    });
    const s = only(PodObserver.observe([gaveUp]));
    expect(s.outcome).toBe(Outcome.GAVE_UP);
    expect(s.decidedBy).toBe(InputKind.STATUS);
  });

  test('restarting: a native sidecar killed by its startup probe again and again, the app waiting', () => {
    const restarting = pod({
      name: 'restarting',
      spec: NATIVE_STARTUP,
      init: [{ name: 'proxy', running: 32, started: false, restartCount: 2, last: { startedAt: 20, finishedAt: 31, exitCode: 137 } }],
      containers: [{ name: 'app', waiting: 'PodInitializing' }],
      conditions: { Initialized: [false, 0] },
    });
    const events = [event({ pod: 'restarting', fieldPath: 'spec.initContainers{proxy}', reason: 'Killing', message: 'Init container proxy failed startup probe', first: 11, last: 31, count: 2 })];
    const s = only(PodObserver.observe([restarting, ...events]));
    expect(s.outcome).toBe(Outcome.RESTARTING);
    expect(s.decidedBy).toBe(InputKind.STATUS);
    expect(s.evidence.map(e => e.fact)).toEqual([
      `proxy restarted 2 times and is not started; its last instance ended at ${at(31)}, exit code 137, reason Error; no app container has started`,
      `event Killing: Init container proxy failed startup probe (x2, first at ${at(11)})`,
    ]);
  });

  test('a pod with no status is not started, not an error', () => {
    const [p] = PodObserver.observe([pod({ name: 'new', spec: NATIVE_STARTUP, noStatus: true })]);
    expect(p.started).toBe(false);
    expect(p.sidecars.map(s => [s.name, s.outcome, s.decidedBy])).toEqual([['proxy', 'not-started', 'status']]);
  });

  test('held from a watch: a frame with the sidecar ready while the app had not started, the app running in a later one', () => {
    // GIVEN kubectl get pods --watch -o json of a legacy sidecar whose hook waits (the app shows ContainerCreating meanwhile)
    const frame = (rv: string, proxy: any, app: any) => pod({ name: 'watched', resourceVersion: rv, spec: LEGACY_HOOK, containers: [{ name: 'proxy', ...proxy }, { name: 'app', ...app }] });
    const frames = [
      pod({ name: 'watched', resourceVersion: '1', spec: LEGACY_HOOK, noStatus: true }),
      frame('2', { running: 1, ready: false }, { waiting: 'ContainerCreating' }),
      frame('3', { running: 1, ready: true }, { waiting: 'ContainerCreating' }),
      frame('3', { running: 1, ready: true }, { waiting: 'ContainerCreating' }),
      frame('4', { running: 1, ready: true }, { running: 8, ready: true }),
    ];
    // WHEN observed (frames concatenated, as kubectl prints them)
    const [p] = PodObserver.observe(frames);
    // THEN held, decided by the watch (a repeated resourceVersion counts once); the last status alone cannot tell
    expect(p.frames).toBe(4);
    expect(p.sidecars[0].outcome).toBe(Outcome.HELD);
    expect(p.sidecars[0].decidedBy).toBe(InputKind.WATCH);
    expect(p.sidecars[0].evidence[0].fact).toBe('frame 3: proxy ready while no app container had started');
    expect(only(PodObserver.observe([frames[4]])).outcome).toBe(Outcome.UNKNOWN);
  });

  test('a sidecar with no readiness or startup probe: unknown, and it says why', () => {
    const plain = pod({
      name: 'plain',
      spec: { containers: [{ name: 'istio-proxy', image: 'x' }, { name: 'app', image: 'x' }] },
      containers: [{ name: 'istio-proxy', running: 1, ready: true }, { name: 'app', running: 1, ready: true }],
    });
    const s = only(PodObserver.observe([plain]));
    expect(s.outcome).toBe(Outcome.UNKNOWN);
    expect(s.missing).toMatch(/^the sidecar has no readinessProbe or startupProbe/);
  });

  test('bad input: a located error naming the field', () => {
    const bad = pod({ name: 'bad', spec: LEGACY_PLAIN, containers: [{ name: 'app', running: 1 }] });
    bad.status.containerStatuses[0].state.running.startedAt = 'yesterday';
    expect(() => PodObserver.observe([list([HELD, bad])])).toThrow(
      'PodObserver.observe: documents[0].items[1]: status.containerStatuses[0].state.running.startedAt is "yesterday", not an RFC 3339 time. Pass the objects as kubectl prints them');
  });
});

describe('sidecar-first observe', () => {
  const input = [list([HELD, RACED_FIRST, RACED_STATUS, ...RACED_EVENTS]), pod({ name: 'new', spec: NATIVE_STARTUP, noStatus: true })].map(d => JSON.stringify(d, undefined, 2)).join('\n');

  test('table: per pod, what happened to each sidecar beside what check says, the evidence, and a summary', async () => {
    const result = await run(['observe', '-'], input);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatchSnapshot();
    expect(result.stdout).toContain('  proxy    raced          watch       NO                          none');
    expect(result.stdout.trimEnd().split('\n').pop()).toBe('3 pods, 3 sidecars: 1 held, 1 raced, 1 not-started');
  });

  test('json: the observations as PodObserver gives them, with where each pod was read', async () => {
    const result = await run(['observe', '-o', 'json', '-'], input);
    const parsed = JSON.parse(result.stdout);
    expect(parsed.pods.map((p: any) => [p.file, p.line, p.name, p.sidecars.map((s: any) => s.outcome)])).toEqual([
      ['<stdin>', 5, 'held', ['held']], ['<stdin>', 225, 'raced', ['raced']], ['<stdin>', 399, 'new', ['not-started']],
    ]);
    expect(parsed.pods[1].sidecars[0].check.gate).toBe('none');
  });

  test('--require-held exits 1 unless every sidecar was held', async () => {
    expect((await run(['observe', '--require-held', '-'], input)).code).toBe(1);
    expect((await run(['observe', '--require-held', '-'], JSON.stringify(HELD))).code).toBe(0);
  });

  test('mermaid: a Gantt timeline the real parser reads, whatever the names', async () => {
    // GIVEN a pod whose names carry Mermaid syntax, a directive and control characters
    const hostile = pod({
      name: 'x:y #1;\n%%{init: {"theme":"dark"}}%%',
      spec: { ...NATIVE_READINESS, initContainers: [{ ...NATIVE_READINESS.initContainers[0], name: 'p:roxy\nsection evil' }] },
      init: [{ name: 'p:roxy\nsection evil', running: 1, started: true, ready: true }],
      containers: [{ name: 'app', running: 2, ready: true }],
    });
    // and the watch's first frame of it: the sidecar not ready yet at 5 s
    const first = pod({
      name: 'x:y #1;\n%%{init: {"theme":"dark"}}%%',
      spec: { ...NATIVE_READINESS, initContainers: [{ ...NATIVE_READINESS.initContainers[0], name: 'p:roxy\nsection evil' }] },
      resourceVersion: '90',
      init: [{ name: 'p:roxy\nsection evil', running: 1, started: true, ready: false }],
      containers: [{ name: 'app', running: 2, ready: true }],
      conditions: { ContainersReady: [false, 5] },
    });
    const events = [event({ pod: 'x:y #1;\n%%{init: {"theme":"dark"}}%%', fieldPath: 'spec.initContainers{p:roxy\nsection evil}', reason: 'Unhealthy', message: 'Readiness probe failed: :milestone, x, 2020-01-01 00:00:00, 0s', first: 5 })];
    // WHEN drawn
    const result = await run(['observe', '-o', 'mermaid', '-'], JSON.stringify(list([first, hostile, ...events])));
    const parsed = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'support', 'mermaid-parse.mjs')], { input: result.stdout, encoding: 'utf8' }));
    // THEN one section, its tasks at the pod's times, no directive
    expect(parsed.error).toBeUndefined();
    expect(parsed.config).toEqual({});
    expect(parsed.title).toBe('sidecar-first observe');
    expect(parsed.tasks).toEqual([
      { section: 'shop/x_y _1_____init_ __theme___dark_____ - p_roxy_section evil raced', task: 'sidecar p_roxy_section evil running', start: '2026-12-07T10:00:01.000Z', end: '2026-12-07T10:00:05.000Z', milestone: false },
      { section: 'shop/x_y _1_____init_ __theme___dark_____ - p_roxy_section evil raced', task: 'container app running', start: '2026-12-07T10:00:02.000Z', end: '2026-12-07T10:00:05.000Z', milestone: false },
      { section: 'shop/x_y _1_____init_ __theme___dark_____ - p_roxy_section evil raced', task: 'p_roxy_section evil Unhealthy_ Readiness probe failed_ _milestone_ x_ 2020-01-01', start: '2026-12-07T10:00:05.000Z', end: '2026-12-07T10:00:05.000Z', milestone: true },
    ]);
  });

  test('bad input: file:line and the field, after the readable pods, exit 2, no stack trace', async () => {
    const bad = pod({ name: 'bad', spec: LEGACY_PLAIN, containers: [{ name: 'app', running: 1 }] });
    bad.status.containerStatuses = { app: {} };
    const result = await run(['observe', '-'], `${JSON.stringify(HELD)}\n${JSON.stringify(bad)}\n{"kind": 3}\n{ nope`);
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('1 pod, 1 sidecar: 1 held');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '<stdin>:2: status.containerStatuses is {"app":{}}, not a list',
      '<stdin>:3: kind is 3; observe reads Pods and Events (kubectl get pods,events -o json)',
    ]);
    expect(lines[2]).toMatch(/^<stdin>:4: /);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  test.each([
    [['observe'], 'sidecar-first: observe needs a PATH (a file of kubectl get pods,events -o json, a directory or - for standard input)'],
    [['observe', '-o', 'xml', '-'], 'sidecar-first: --format is "xml"; use table, json or mermaid'],
    [['observe', '--kubernetes-version', 'x', '-'], expect.stringMatching(/^sidecar-first: --kubernetes-version is "x"/)],
  ])('%j: the error and the usage, exit 2', async (args, message) => {
    const result = await run(args as string[], '');
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toEqual(message);
    expect(result.stderr).toContain('Usage: sidecar-first observe');
  });
});

describe('docs/observe.md: "My app crashes at start: is it the sidecar?"', () => {
  test('GIVEN the pods,events a real cluster kept of the walkthrough\'s pod WHEN its command runs THEN the output is the one the page shows', async () => {
    // GIVEN the page's block: the command, then what it prints
    const block = execFileSync('bash', [path.join(__dirname, 'support', 'doc-block.sh'), path.join(__dirname, '..', 'docs', 'observe.md'), 'observe-walkthrough'], { encoding: 'utf8' });
    const [command, ...printed] = block.split('\n');
    expect(command).toBe('$ npx sidecar-first observe shop.json');
    const dir = tree({ 'shop.json': fs.readFileSync(path.join(__dirname, 'fixtures', 'observe', 'cluster-1.37.2', 'shop.json'), 'utf8') });

    // WHEN
    const result = await runIn(['observe', path.join(dir, 'shop.json')], '', undefined, dir);

    // THEN
    expect({ code: result.code, stderr: result.stderr, stdout: result.stdout.split(`${dir}/`).join('') }).toEqual({ code: 0, stderr: '', stdout: printed.join('\n') });
  });
});

describe('sidecars known by image or name from the settings, as check knows them', () => {
  // A legacy sidecar neither its name nor a hook gives away: only its image says what it is.
  const AGENT = pod({
    name: 'agent',
    spec: { containers: [{ name: 'agent', image: 'registry.example/my-org/agent:2.1', readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 1 } }, { name: 'app', image: 'shop:1' }] },
    containers: [{ name: 'agent', running: 1, ready: true }, { name: 'app', running: 1, ready: true }],
  });

  test('GIVEN sidecarImages WHEN PodObserver.observe THEN the container is judged as a sidecar, check\'s verdict beside it', () => {
    // WHEN
    const without = PodObserver.observe([AGENT]);
    const withImages = PodObserver.observe([AGENT], { sidecarImages: ['*/my-org/agent:*'] });

    // THEN
    expect(without[0].sidecars).toEqual([]);
    expect(withImages[0].sidecars.map(v => [v.name, v.check.appWaitsForReady])).toEqual([['agent', false]]);
  });

  test('GIVEN a .sidecar-first.yaml naming the image WHEN observe runs below it THEN the same; a bad file is file:line:col, exit 2', async () => {
    // GIVEN
    const dir = tree({
      '.sidecar-first.yaml': 'sidecarImages:\n  - "*/my-org/agent:*"\n',
      'pods/agent.json': JSON.stringify(AGENT),
      'bad/.sidecar-first.yaml': 'sidecarImages: agent\n',
    });

    // WHEN
    const found = await runIn(['observe', '-o', 'json', path.join(dir, 'pods/agent.json')], '', undefined, dir);
    const bad = await runIn(['observe', '--config', path.join(dir, 'bad/.sidecar-first.yaml'), path.join(dir, 'pods/agent.json')], '', undefined, dir);

    // THEN
    expect(found.stderr).toBe('');
    expect(JSON.parse(found.stdout).pods[0].sidecars.map((v: any) => v.name)).toEqual(['agent']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.split('\n')[0]).toMatch(new RegExp(`^sidecar-first: ${path.join(dir, 'bad/.sidecar-first.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1:16: sidecarImages `));
  });

  test('GIVEN options PodObserver cannot use WHEN observe THEN the located error', () => {
    expect(() => PodObserver.observe([AGENT], { sidecarImages: 'agent' as any }))
      .toThrow('PodObserver.observe: sidecarImages is "agent", which is not a list of image patterns. Give an array of patterns, e.g. sidecarImages: [\'*/fluent-bit:*\']');
  });
});

describe('statuses a real kubelet 1.37.2 reported (test/fixtures/observe/kubelet-1.37.2: observe.node.test.ts with OBSERVE_CAPTURE, every status once, as a watch prints them)', () => {
  const fixture = (name: string) => path.join(__dirname, 'fixtures', 'observe', 'kubelet-1.37.2', `${name}.json`);

  test.each([
    // [shape (failure-shapes.ts), outcome, decided by, statuses]
    ['f-held-native-0', 'held', 'status', 5],
    ['f-hook-gives-up-0', 'gave-up', 'watch', 7],
    ['f-startup-loop-0', 'restarting', 'status', 8],
    ['f-never-ready-0', 'unknown', undefined, 4],
    ['f-app-crashes-0', 'raced', 'watch', 10],
  ])('%s: %s, decided by %s', async (name, outcome, decidedBy, frames) => {
    // GIVEN what the kubelet reported for the shape, statuses concatenated
    // WHEN observed with the CLI
    const result = await run(['observe', '-o', 'json', '--sidecar', 's0', fixture(name)], '');
    // THEN the verdict the stamps agreed with on that run
    const [p] = JSON.parse(result.stdout).pods;
    expect({ frames: p.frames, outcome: p.sidecars[0].outcome, decidedBy: p.sidecars[0].decidedBy }).toEqual({ frames, outcome, decidedBy });
  });
});
