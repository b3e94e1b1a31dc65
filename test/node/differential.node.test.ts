/**
 * The differential test of the kubelet rules (src/private/rules/kubelet-rules.ts, what
 * `sidecar-first check` reports) against a real kubelet: generated pod shapes
 * (test/node/differential/shapes.ts) run side by side on the node, and what each app
 * and sidecar did is compared with what the model claims (test/node/differential/oracle.ts).
 *
 * Seed: DIFFERENTIAL_SEED, else a fixed one, so that every CI run runs the same shapes and
 * a red run is a change in the model or the kubelet, never luck; `DIFFERENTIAL_SEED=random`
 * explores (the seed is printed: rerun it to reproduce a disagreement). Shapes: the fixed
 * regressions, plus DIFFERENTIAL_SHAPES (default 100) on the first kubelet of
 * kubelet-versions.txt and DIFFERENTIAL_OTHER_SHAPES (default 30) on each other one.
 * DIFFERENTIAL_VERBOSE=1 prints every shape, not only those that do not agree.
 */
import * as fs from 'fs';
import * as path from 'path';
import { Judged, judge, Observation, podOutcome, predict, verdictsOf } from './differential/oracle';
import { REGRESSIONS } from './differential/regressions';
import { describeShape, generateShapes, PodShape, renderPod } from './differential/shapes';
import { IfCheckNeverPasses, SidecarAnalyzer, StartsBeforeApp } from '../../src';
import { KubernetesVersion, parseKubernetesVersion } from '../../src/private/rules/kubernetes-version';
import { describeEachKubelet, kubeletVersions, PodOutcome, RealNode, STANDIN_IMAGE, standinArgs } from '../support/real-node';

const FIXED_SEED = 20261202;
/** Pods started together: what two busy cores start within a second or two each. */
const BATCH = Number(process.env.DIFFERENTIAL_BATCH ?? 20);
/** Every pod of a batch is watched this long at most (a pod held for ever is watched all of it). */
const WINDOW_MS = 60_000;
/** How long a hook with no deadline is watched holding the app: past any timeout a kubelet could have. */
const HOLD_MS = 30_000;

const seed = process.env.DIFFERENTIAL_SEED === 'random' ? Math.floor(Math.random() * 2 ** 31)
  : Number(process.env.DIFFERENTIAL_SEED ?? FIXED_SEED);
interface Result {
  readonly shape: PodShape;
  readonly judged: Judged[];
  readonly outcome: 'agrees' | 'disagrees' | 'inconclusive';
  readonly pod: PodOutcome;
}

/** The pod is done when its app started and every sidecar that will be ready is. */
function done(shape: PodShape) {
  return (pod: PodOutcome) => (pod.containers.app?.starts.length ?? 0) > 0
    && shape.sidecars.every(s => s.readyAfter === 'never' || (pod.containers[s.name]?.readies.length ?? 0) > 0);
}

function observation(pod: PodOutcome): Observation {
  const s = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);
  const containers = Object.entries(pod.containers).map(([name, c]) => [name, { start: s(c.starts[0]), ready: s(c.readies[0]) }]);
  return { containers: Object.fromEntries(containers) };
}

async function runShapes(node: RealNode, shapes: readonly PodShape[]): Promise<Result[]> {
  const model: KubernetesVersion = parseKubernetesVersion(node.version)!;
  const results: Result[] = [];
  for (let i = 0; i < shapes.length; i += BATCH) {
    const batch = shapes.slice(i, i + BATCH);
    const runs = batch.map(shape => ({ name: shape.id, spec: renderPod(shape, STANDIN_IMAGE), until: done(shape) }));
    const pods = await node.run(runs, { timeoutMs: WINDOW_MS });
    batch.forEach((shape, j) => {
      const spec = renderPod(shape, STANDIN_IMAGE);
      const judged = judge(shape, spec, predict(shape, verdictsOf(shape, spec, model)), observation(pods[j]));
      results.push({ shape, judged, outcome: podOutcome(judged), pod: pods[j] });
    });
  }
  return results;
}

function report(version: string, results: readonly Result[], seconds: number): string {
  const count = (o: string) => results.filter(r => r.outcome === o).length;
  const claims = results.flatMap(r => r.judged);
  const byKind = [...new Set(claims.map(j => j.claim.kind))].sort().map(kind => {
    const of = claims.filter(j => j.claim.kind === kind);
    const margins = of.map(j => j.margin).filter((m): m is number => m !== undefined);
    const closest = margins.length > 0 ? ` (closest ${Math.min(...margins).toFixed(1)} s)` : '';
    return `${kind} ${of.filter(j => j.outcome === 'agrees').length}/${of.length}${closest}`;
  }).join(', ');
  // How long the next container took to start after a sidecar that does not hold it, by startsBeforeApp (figures, not asserted).
  const lags = [StartsBeforeApp.IN_PARALLEL, StartsBeforeApp.YES].map(starts => {
    const of = claims.filter(j => j.claim.kind === 'does-not-wait' && j.claim.startsBeforeApp === starts && j.lag !== undefined).map(j => j.lag!);
    return of.length > 0 ? `${starts} ${Math.min(...of).toFixed(1)}-${Math.max(...of).toFixed(1)} s` : `${starts} none`;
  }).join(', ');
  const lines = [
    `differential (kubelet ${version}, seed ${seed}, ${seconds.toFixed(0)} s): ${results.length} shapes, ${count('agrees')} agree, `
    + `${count('disagrees')} disagree, ${count('inconclusive')} inconclusive; claims agreeing by kind: ${byKind}; `
    + `next container started after a sidecar it does not wait for: ${lags}`,
  ];
  // DIFFERENTIAL_VERBOSE=1: every shape, not only those that do not agree.
  for (const r of results.filter(x => x.outcome !== 'agrees' || process.env.DIFFERENTIAL_VERBOSE)) {
    lines.push(`${r.outcome.toUpperCase()} ${describeShape(r.shape)}`);
    for (const j of r.judged) {
      lines.push(`  ${j.claim.sidecar}: ${j.claim.kind} (${j.claim.verdict}): ${j.outcome}; ${j.seen}`);
    }
    const statuses = Object.entries(r.pod.containers).map(([name, c]) => `${name} restarts=${c.status?.restartCount ?? '?'} state=${Object.keys(c.status?.state ?? {}).join('')}`);
    lines.push(`  kubelet: ${statuses.join('; ')}`);
  }
  return lines.join('\n');
}

describeEachKubelet('the kubelet rules against a real kubelet', (version, node) => {
  test('every shape does what the model says', async () => {
    // GIVEN
    const first = version === kubeletVersions()[0];
    const count = Number(first ? process.env.DIFFERENTIAL_SHAPES ?? 100 : process.env.DIFFERENTIAL_OTHER_SHAPES ?? 30);
    const shapes = [...REGRESSIONS, ...generateShapes(seed, count)];

    // WHEN
    const started = Date.now();
    const results = await runShapes(node(), shapes);

    // THEN
    console.log(report(version, results, (Date.now() - started) / 1000));
    expect(results.filter(r => r.outcome === 'disagrees').map(r => describeShape(r.shape))).toEqual([]);
    expect(results).toHaveLength(shapes.length);
  }, 60 * 60 * 1000);

  // Not a generated shape: a hook that never returns would hang the pod's removal (R5), so the
  // sidecar here exits when told, which ends the hook with it.
  test(`GIVEN a legacy sidecar that is never ready, whose postStart polls with no deadline WHEN the pod starts THEN the model says the app never starts (SF116) and the kubelet holds the app for as long as the sidecar runs (${HOLD_MS / 1000} s)`, async () => {
    // GIVEN
    const spec = {
      containers: [
        {
          name: 'proxy',
          image: STANDIN_IMAGE,
          args: standinArgs({ readyAfterMs: 'never', exitWhen: '/stamps/release' }),
          lifecycle: { postStart: { exec: { command: ['sh', '-c', 'until test -f /stamps/proxy.ready; do sleep 1; done'] } } },
        },
        { name: 'app', image: STANDIN_IMAGE, args: standinArgs() },
      ],
    };
    const [verdict] = SidecarAnalyzer.analyzePodSpec(spec, { kubernetesVersion: version });
    const release = path.join(node().env.STAMPS, 'no-deadline-hook', 'release');
    let releasedAt: number | undefined;

    // WHEN: the sidecar runs for HOLD_MS after its start, then exits. Stamps count from the manifest's
    // writing, just after runStart: releasedAt errs late, against the assertion.
    const runStart = Date.now();
    const [pod] = await node().run([{
      name: 'no-deadline-hook',
      spec,
      until: p => {
        const started = p.containers.proxy.starts[0];
        if (releasedAt === undefined && started !== undefined && Date.now() - runStart > started + HOLD_MS) {
          fs.writeFileSync(release, '');
          releasedAt = Date.now() - runStart;
        }
        return p.containers.app.starts.length > 0;
      },
    }], { timeoutMs: HOLD_MS + 60_000 });

    // THEN
    expect([verdict.ifCheckNeverPasses, verdict.findings.map(f => f.id)]).toEqual([IfCheckNeverPasses.APP_NEVER_STARTS, ['SF116']]);
    expect(releasedAt).toBeDefined();
    const appStarted = pod.containers.app.starts[0];
    console.log(`kubelet ${version}, postStart polling with no deadline: sidecar started ${pod.containers.proxy.starts[0]?.toFixed(0)} ms, `
      + `told to exit ${releasedAt?.toFixed(0)} ms, app started ${appStarted?.toFixed(0)} ms after the manifest`);
    expect(appStarted).toBeGreaterThan(releasedAt!);
  }, 5 * 60 * 1000);
});
