/** Stops the API servers and the clusters, and removes the run's temporary directory (see global-setup.ts). */
import * as fs from 'fs';
import { stopApiServers } from './api-servers';
import { stopClusters } from './cluster';

export default async function globalTeardown(): Promise<void> {
  await Promise.all([stopApiServers(), stopClusters()]);
  const statistics = process.env.SIDECAR_FIRST_DRY_RUN_STATISTICS;
  if (statistics && fs.existsSync(statistics)) {
    const totals = new Map<string, { manifests: number; ms: number }>();
    for (const [version, manifests, ms] of fs.readFileSync(statistics, 'utf8').trim().split('\n').map(line => line.split(' '))) {
      const total = totals.get(version) ?? { manifests: 0, ms: 0 };
      totals.set(version, { manifests: total.manifests + Number(manifests), ms: total.ms + Number(ms) });
    }
    console.log([...totals].map(([version, { manifests, ms }]) =>
      `kube-apiserver ${version}: ${manifests} distinct manifests dry-run in ${(ms / 1000).toFixed(1)} s (summed over workers)`).join('\n'));
  }
  const dir = process.env.TMPDIR;
  if (dir && /sidecar-first-test-[^/]*$/.test(dir)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
