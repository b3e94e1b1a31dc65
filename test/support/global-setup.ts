/**
 * Every temporary file of a test run goes into one directory, removed by
 * global-teardown.ts: cdk8s's `Testing.app()` makes an output directory
 * under os.tmpdir() per app and never removes it (thousands per run).
 * Workers start after this and inherit TMPDIR, which os.tmpdir() reads.
 *
 * Then the real API servers start (./api-servers.ts), once for the run.
 * Outside CI a missing prerequisite is a printed skip; under CI=true a failure.
 * The real clusters (./cluster.ts) start when a test first asks for one; they
 * live in the run's directory, and are stopped at exit should teardown not run.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { API_SERVER_VERSIONS, missingForApiServers, startApiServers, stopApiServers } from './api-servers';
import { stopClustersSync } from './cluster';

export default async function globalSetup(): Promise<void> {
  const missing = missingForApiServers();
  if (missing && process.env.CI) {
    throw new Error(`The API servers cannot run: ${missing}. .ci/run installs and builds everything they need.`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-first-test-'));
  process.env.TMPDIR = tmp;
  process.once('exit', stopClustersSync);
  if (missing) {
    console.warn(`\nSkipped: no manifest is dry-run on kube-apiserver ${API_SERVER_VERSIONS.join(' and ')}: ${missing}.`);
    return;
  }
  const start = Date.now();
  try {
    await startApiServers();
  } catch (e) {
    // Jest runs no teardown after a failed setup.
    await stopApiServers();
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  process.env.SIDECAR_FIRST_DRY_RUN_STATISTICS = path.join(tmp, 'dry-run-statistics');
  console.log(`\nkube-apiserver ${API_SERVER_VERSIONS.join(' and ')} ready in ${((Date.now() - start) / 1000).toFixed(1)} s`);
}
