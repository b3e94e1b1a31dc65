/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Every manifest a test file synthesizes, validated by real Kubernetes code
 * once the file's tests are done (./validate-synthesized.ts records them all):
 * - a server-side dry run on each running API server (./server-dry-run.ts):
 *   every manifest, except on an older server one a test declared only for
 *   newer versions (a manifest for 1.33 may use fields 1.30 lacks);
 * - each other version a test names (./schema.ts expectValidManifests) is
 *   decoded by that version's kubectl (./kubectl-oracle.ts), for the versions
 *   no server covers.
 */
import { appendFileSync } from 'fs';
import { runningApiServers } from './api-servers';
import { kubectlFor, kubectlProblems } from './kubectl-oracle';
import { dryRunProblems } from './server-dry-run';

interface Recorded {
  /** The first test that made it. */
  readonly test: string;
  /** As synthesized (tests may change the objects they get afterwards). */
  readonly doc: any;
  /** The Kubernetes versions a test declared it for (none: the library's default). */
  readonly versions: Set<string>;
}

/** Identical manifests (property tests make many) are validated once. */
const byContent = new Map<string, Recorded>();
const byObject = new WeakMap<object, Recorded>();

/** Records `docs` for validation after this file's tests, for `versions` (minor versions, e.g. 1.29) if given. */
export function recordManifests(docs: any[], versions: string[] = []): void {
  const test = expect.getState().currentTestName ?? '(outside a test)';
  for (const doc of docs) {
    let recorded = byObject.get(doc);
    if (!recorded) {
      const json = JSON.stringify(doc);
      recorded = byContent.get(json) ?? { test, doc: JSON.parse(json), versions: new Set() };
      byContent.set(json, recorded);
      byObject.set(doc, recorded);
    }
    versions.forEach(v => recorded!.versions.add(v));
  }
}

const minorNumber = (version: string) => Number(version.split('.')[1]);

/** Validates every recorded manifest; returns the problems, each naming its test. Forgets them. */
export function validateRecordedManifests(): string[] {
  const recorded = [...byContent.values()];
  byContent.clear();
  const servers = runningApiServers();
  const problems: string[] = [];
  for (const server of servers) {
    const made = recorded.filter(r => r.versions.size === 0 || Math.min(...[...r.versions].map(minorNumber)) <= minorNumber(server.minor));
    const start = Date.now();
    const found = dryRunProblems(made.map(r => r.doc), server);
    recordStatistics(server.version, made.length, Date.now() - start);
    found.forEach((docProblems, i) => problems.push(...docProblems.map(p => `${made[i].test}: ${p}`)));
  }
  const served = new Set(servers.map(s => s.minor));
  const versions = new Set(recorded.flatMap(r => [...r.versions]).filter(v => !served.has(v)));
  for (const version of versions) {
    const made = recorded.filter(r => r.versions.has(version));
    if (!kubectlFor(version)) {
      // CI installs every version (.ci/run); a developer's machine may lack them.
      if (process.env.CI) {
        problems.push(`kubectl.${version} is missing: install the apt package kubectl`);
      } else {
        console.warn(`Skipped decoding ${made.length} documents with Kubernetes ${version}'s API types: kubectl.${version} is not installed (apt package kubectl)`);
      }
      continue;
    }
    // Documents are numbered in the order the tests made them, to name the test of each problem.
    const docs = made.map(({ doc }, i) => ({ ...doc, metadata: { ...doc.metadata, name: `${i}.${doc.metadata?.name}` } }));
    for (const problem of kubectlProblems(docs, version)) {
      const index = /^\w+\/(\d+)\./.exec(problem);
      problems.push(index ? `${made[Number(index[1])].test}: ${problem.replace(`/${index[1]}.`, '/')}` : problem);
    }
  }
  return problems;
}

/** One line per file and server for global-teardown.ts's summary. */
function recordStatistics(version: string, manifests: number, ms: number): void {
  const file = process.env.SIDECAR_FIRST_DRY_RUN_STATISTICS;
  if (file) {
    appendFileSync(file, `${version} ${manifests} ${ms}\n`);
  }
}
