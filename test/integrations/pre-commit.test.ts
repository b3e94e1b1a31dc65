/**
 * The pre-commit hook (.pre-commit-hooks.yaml) with the real pre-commit:
 * `pre-commit try-repo` on a temporary repository, with this checkout as
 * the hook's repository (its HEAD, plus its uncommitted changes to tracked
 * files). pre-commit builds the package from git with npm (minutes).
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { NATIVE, UNGATED } from '../support/cli-run';
import { runs, testWith } from '../support/tools';

const ROOT = path.join(__dirname, '..', '..');
/** Where test/integrations/install-pre-commit.sh installs it. */
const PRE_COMMIT = path.join(os.homedir(), '.cache', 'sidecar-first', 'pre-commit', 'bin', 'pre-commit');

let work: string;
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-pre-commit-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

function inRepo(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(args[0], args.slice(1), { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 20 * 60_000 });
}

testWith({ 'pre-commit': fs.existsSync(PRE_COMMIT), 'git': runs('git') })('a commit that adds a sidecar the app does not wait for fails with the finding; a good one passes', () => {
  // GIVEN a repository with a bad and a good manifest staged
  const repo = path.join(work, 'repo');
  fs.mkdirSync(repo);
  fs.writeFileSync(path.join(repo, 'bad.yaml'), UNGATED);
  fs.writeFileSync(path.join(repo, 'good.yaml'), NATIVE);
  fs.writeFileSync(path.join(repo, 'notes.json'), '{"not": "a manifest"}\n');
  const git = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' };
  expect(inRepo(['git', 'init', '-q'], repo).status).toBe(0);
  expect(inRepo(['git', 'add', '.'], repo).status).toBe(0);
  // pre-commit's own environments, in this run's directory: a fresh build of the hook.
  const env = { ...git, PRE_COMMIT_HOME: path.join(work, 'pre-commit-home') };

  // WHEN
  const bad = inRepo([PRE_COMMIT, 'try-repo', ROOT, 'sidecar-first', '--files', 'bad.yaml', 'notes.json'], repo, env);
  const good = inRepo([PRE_COMMIT, 'try-repo', ROOT, 'sidecar-first', '--files', 'good.yaml', 'notes.json'], repo, env);

  // THEN
  expect([bad.status, bad.stdout]).toEqual([1, expect.stringContaining('    - SF102 error: readinessProbe does not delay the app\n')]);
  expect(bad.stdout).toMatch(/sidecar-first check\.+Failed/);
  expect([good.status, good.stdout]).toEqual([0, expect.stringMatching(/sidecar-first check\.+Passed/)]);
}, 30 * 60_000);
