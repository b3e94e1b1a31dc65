/**
 * What the CLI tells about itself, from package.json (lib/cli/ and src/cli/
 * both sit two levels below the package root).
 * @internal
 */
import { readFileSync } from 'fs';
import * as path from 'path';

function packageJson(): { version: string; repository?: { url?: string } | string } {
  return JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8'));
}

/** @internal */
export function packageVersion(): string {
  return packageJson().version;
}

/**
 * Where each finding is explained: the "Findings" section of docs/cli.md in the
 * repository named by package.json (`https://github.com/o/r/blob/main/docs/cli.md#findings`).
 * @internal
 */
export function findingsUrl(): string {
  const repository = packageJson().repository;
  const url = (typeof repository === 'string' ? repository : repository?.url ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
  return `${url}/blob/main/docs/cli.md#findings`;
}

/** @internal */
export function repositoryUrl(): string {
  return findingsUrl().replace(/\/blob\/.*$/, '');
}
