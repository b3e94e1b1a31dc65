/**
 * The real tools that consume the CLI's output (xmllint, kubectl, git,
 * pre-commit): a test that needs one runs when it is installed; without it,
 * under CI=true it runs anyway and fails, elsewhere it is skipped with a
 * printed reason.
 */
import { spawnSync } from 'child_process';

/** Whether `command args` runs and exits 0. */
export function runs(command: string, args: string[] = ['--version']): boolean {
  return spawnSync(command, args, { stdio: 'ignore' }).status === 0;
}

/** `test`, or `test.skip` with a printed reason when a tool is missing outside CI. */
export function testWith(tools: { [name: string]: boolean }): jest.It {
  const missing = Object.entries(tools).filter(([, here]) => !here).map(([name]) => name);
  if (missing.length === 0 || process.env.CI) {
    return test;
  }
  // eslint-disable-next-line no-console
  console.warn(`skipped: not installed here: ${missing.join(', ')} (.ci/run installs them; under CI=true this is a failure)`);
  return test.skip;
}
