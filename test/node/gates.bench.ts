/**
 * `npm run bench:gates`: how soon each gate variant (gate-variants.ts) lets the
 * app start once its sidecar is ready, for every check kind, on real kubelets
 * (1.37.2 and 1.30.14 unless BENCH_GATE_VERSIONS says otherwise, one after the
 * other in one run). A jest file, for the real-node harness; not a test:
 * `test:node` does not run it.
 *
 * Per variant and check: BENCH_GATE_STARTS pods (20 by default), BATCH at a
 * time, ready delays spread over 1-2 s. Check kinds are the outer loop, so the
 * variants compared on one check run close together in time (the machine's
 * load drifts). Prints one markdown table per kubelet: median, p95 and max of
 * "sidecar ready -> app started" in ms, and the load average before/after.
 */
import { GATE_VARIANTS, GateVariant, isNative, variantPod } from './gate-variants';
import { CHECK_KINDS } from '../support/node-pods';
import { describeEachKubelet, minorOf } from '../support/real-node';
import { BATCH, readyToStarted, runInBatches, summary } from '../support/start-figures';

const STARTS = Number(process.env.BENCH_GATE_STARTS ?? 20);

/** The variants a kubelet of `version` runs: native sidecars from 1.29. */
function variantsOf(version: string): GateVariant[] {
  return GATE_VARIANTS.filter(v => minorOf(version) >= 29 || !isNative(v));
}

describeEachKubelet('gate variants: sidecar ready -> app started', (version, node) => {
  const rows = new Map<string, string>();
  afterAll(() => {
    const ordered = variantsOf(version).flatMap(v => CHECK_KINDS.map(kind => rows.get(`${v} ${kind}`)).filter(row => row !== undefined));
    // Straight to stdout: a markdown table to paste, without jest's console decoration.
    process.stdout.write(`\nkubelet ${version}: sidecar ready -> app started, ${STARTS} starts each (${BATCH} at once), ms\n\n`
      + `| variant | check | median | p95 | max | load average before / after |\n|---|---|---|---|---|---|\n${ordered.join('\n')}\n\n`);
  });

  for (const kind of CHECK_KINDS) {
    for (const variant of variantsOf(version)) {
      test(`${variant}, ${kind} check: ${STARTS} starts`, async () => {
        const pods = Array.from({ length: STARTS }, (_, i) => ({
          name: `${variant.toLowerCase().replace(/_/g, '-')}-${kind}-${i}`,
          spec: variantPod(variant, kind, 1000 + (i * 97) % 1000, { kubernetesVersion: version }),
        }));

        const { outcomes, load } = await runInBatches(node(), pods);

        const latencies = outcomes.map(readyToStarted);
        // A figure of an app that started first would measure nothing.
        expect(Math.min(...latencies)).toBeGreaterThan(0);
        const s = summary(latencies);
        rows.set(`${variant} ${kind}`, `| ${variant} | ${kind} | ${s.median.toFixed(0)} | ${s.p95.toFixed(0)} | ${s.max.toFixed(0)} | ${load} |`);
      }, Math.ceil(STARTS / BATCH) * 240_000);
    }
  }
});
