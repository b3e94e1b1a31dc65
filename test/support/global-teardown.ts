/** Removes the run's temporary directory (see global-setup.ts). */
import * as fs from 'fs';

export default function globalTeardown(): void {
  const dir = process.env.TMPDIR;
  if (dir && /sidecar-first-test-[^/]*$/.test(dir)) {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
