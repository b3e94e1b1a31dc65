/**
 * Every temporary file of a test run goes into one directory, removed by
 * global-teardown.ts: cdk8s's `Testing.app()` makes an output directory
 * under os.tmpdir() per app and never removes it (thousands per run).
 * Workers start after this and inherit TMPDIR, which os.tmpdir() reads.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export default function globalSetup(): void {
  process.env.TMPDIR = fs.mkdtempSync(path.join(os.tmpdir(), 'sidecar-first-test-'));
}
