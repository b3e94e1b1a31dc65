/**
 * Every gate variant the `bench:gates` task compares (gate-variants.ts) holds
 * the app until the sidecar is ready, on the newest kubelet: the order only,
 * since the figures (`npm run bench:gates`) depend on the machine's load.
 */
import { GATE_VARIANTS, variantPod } from './gate-variants';
import { describeEachKubelet, kubeletVersions, minorOf } from '../support/real-node';
import { readyToStarted, runInBatches } from '../support/start-figures';

const PODS = 5;
const NEWEST = kubeletVersions().reduce<string | undefined>((a, b) => (a === undefined || minorOf(b) > minorOf(a) ? b : a), undefined);

describeEachKubelet('the gate variants', (version, node) => {
  for (const variant of GATE_VARIANTS) {
    test(`GIVEN ${PODS} pods under ${variant} with an HTTP check, sidecar ready after 1-2 s WHEN they start side by side THEN every app starts after its sidecar is ready, each started once`, async () => {
      // GIVEN: ready delays spread over a second, so probe periods and hook polls meet them at different phases.
      const pods = Array.from({ length: PODS }, (_, i) => ({
        name: `order-${variant.toLowerCase().replace(/_/g, '-')}-${i}`,
        spec: variantPod(variant, 'http', 1000 + i * 200, { kubernetesVersion: version }),
      }));

      // WHEN
      const { outcomes } = await runInBatches(node(), pods);

      // THEN: NaN (no ready stamp) fails too.
      const appFirst = outcomes.filter(pod => !(readyToStarted(pod) > 0)).map(pod => pod.name);
      expect(appFirst).toEqual([]);
    }, 240_000);
  }
}, version => version === NEWEST);
