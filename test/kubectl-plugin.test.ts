/**
 * The package's second executable, bin/kubectl-sidecar_first, is a kubectl
 * plugin: with it on PATH, the real kubectl lists it and runs
 * `kubectl sidecar-first check ...` through it.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { UNGATED } from './support/cli-run';
import { testWith } from './support/tools';

const ROOT = path.join(__dirname, '..');
/** The newest kubectl of the apt package, else the one on PATH. */
const KUBECTL = ['/usr/lib/google-cloud-sdk/bin/kubectl.1.33', '/usr/bin/kubectl'].find(k => fs.existsSync(k));

let pkg: string;
beforeAll(() => {
  // GIVEN the plugin as npm installs it: bin/ beside lib/ (here, lib/cli/main.js loads src/ through ts-node)
  pkg = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-kubectl-'));
  fs.mkdirSync(path.join(pkg, 'bin'));
  fs.mkdirSync(path.join(pkg, 'lib', 'cli'), { recursive: true });
  fs.copyFileSync(path.join(ROOT, 'bin', 'kubectl-sidecar_first'), path.join(pkg, 'bin', 'kubectl-sidecar_first'));
  fs.chmodSync(path.join(pkg, 'bin', 'kubectl-sidecar_first'), 0o755);
  fs.writeFileSync(path.join(pkg, 'lib', 'cli', 'main.js'), `require(${JSON.stringify(require.resolve('ts-node'))}).register({ transpileOnly: true });\n`
    + `module.exports = require(${JSON.stringify(path.join(ROOT, 'src', 'cli', 'main.ts'))});\n`);
});
afterAll(() => fs.rmSync(pkg, { recursive: true, force: true }));

function kubectl(args: string[], input = '') {
  // Only the plugin's directory and node's on PATH; an empty configuration: no cluster is ever asked.
  const env = { PATH: `${path.join(pkg, 'bin')}:${path.dirname(process.execPath)}`, KUBECONFIG: '/dev/null', HOME: pkg };
  return spawnSync(KUBECTL!, args, { input, encoding: 'utf8', env, timeout: 60_000 });
}

testWith({ kubectl: KUBECTL !== undefined })('kubectl plugin list finds kubectl-sidecar_first on PATH', () => {
  // WHEN
  const list = kubectl(['plugin', 'list']);

  // THEN
  expect([list.status, list.stdout]).toEqual([0, expect.stringContaining(`${path.join(pkg, 'bin', 'kubectl-sidecar_first')}\n`)]);
});

testWith({ kubectl: KUBECTL !== undefined })('kubectl sidecar-first check - reads standard input, prints the report, and its exit status is the CLI\'s', () => {
  // WHEN
  const result = kubectl(['sidecar-first', 'check', '--require-ready', '--kubernetes-version', '1.30', '-'], UNGATED);
  const help = kubectl(['sidecar-first', '--help']);

  // THEN
  expect([result.status, result.stderr, result.stdout.split('\n').slice(0, 5)]).toEqual([1, '', [
    '<stdin>:1  Pod demo/blog-post',
    '  SIDECAR  PLACEMENT  GATE  STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
    '  proxy    native     none  in-parallel        NO                   app-runs-sidecar-not-ready',
    '    - SF102 error: readinessProbe does not delay the app',
    '',
  ]]);
  expect([help.status, help.stdout]).toEqual([0, expect.stringContaining('As a kubectl plugin: kubectl sidecar-first COMMAND [options].')]);
});
