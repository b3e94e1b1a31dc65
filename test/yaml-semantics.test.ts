/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * What `sidecar-first check` reads from a YAML file is what kubectl reads:
 * the real kubectl (1.33, the newest installed) is the oracle. Its
 * `annotate --local -f FILE -o json` decodes a file as `create -f` does
 * (resource builder, sigs.k8s.io/yaml: go-yaml v2, then JSON) with no
 * server, for any kind; the annotation it adds is added to check's values
 * before comparing. A file kubectl refuses must get an error from check.
 */
import { execFile } from 'child_process';
import { readdirSync, statSync } from 'fs';
import { join } from 'path';
import { promisify } from 'util';
import { kubectlFor } from './support/kubectl-oracle';
import { readInputs } from '../src/analyzer/manifest-reader';

const FIXTURES = join(__dirname, 'fixtures');
const ANNOTATION = 'sidecar-first.dev/oracle';
const KUBECTL_VERSION = '1.33';

/** Every YAML file under test/fixtures: the corpus and the edge cases of test/fixtures/yaml-semantics. */
function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap(name => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? yamlFiles(full) : /\.ya?ml$/.test(name) ? [full] : [];
  });
}

interface KubectlRead { readonly ok: boolean; readonly documents: any[]; readonly stderr: string }

/** kubectl's reading of a file: the objects it decoded (Lists flattened), or its error. */
async function kubectlReads(file: string): Promise<KubectlRead> {
  const kubectl = kubectlFor(KUBECTL_VERSION);
  if (!kubectl) {
    throw new Error(`kubectl.${KUBECTL_VERSION} is not installed (apt package kubectl): the oracle of this test`);
  }
  try {
    const { stdout, stderr } = await promisify(execFile)(kubectl, ['annotate', '--local', '-f', file, `${ANNOTATION}=y`, '-o', 'json'], {
      // --local never talks to a server; an empty configuration makes sure of it.
      env: { PATH: process.env.PATH, KUBECONFIG: '/dev/null' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const documents = stdout.trim() === '' ? [] : stdout.split(/(?<=^\})\n(?=\{)/m).map(text => JSON.parse(text));
    return { ok: true, documents, stderr };
  } catch (e: any) {
    return { ok: false, documents: [], stderr: String(e.stderr ?? e.message) };
  }
}

/** What check reads of a file: its documents (List items one by one) and its errors. */
async function checkReads(file: string): Promise<{ documents: any[]; errors: string[] }> {
  const documents: any[] = [];
  const errors: string[] = [];
  for await (const event of readInputs([file], async function* () {})) {
    const e = event as any;
    if (e.document) {
      documents.push(e.document.value);
    } else if (!e.error.skipped) {
      errors.push(`${e.error.file}:${e.error.line}: ${e.error.message}`);
    }
  }
  return { documents, errors };
}

/** A value as kubectl prints it after adding the annotation. */
function annotated(value: any): any {
  const copy = JSON.parse(JSON.stringify(value));
  copy.metadata = { ...copy.metadata, annotations: { ...copy.metadata?.annotations, [ANNOTATION]: 'y' } };
  return copy;
}

/** Runs `f` on every item, `width` at a time (each is a kubectl process). */
async function pool<T, R>(items: T[], width: number, f: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await f(items[i]);
    }
  }));
  return results;
}

const files = yamlFiles(FIXTURES);
let oracle: Map<string, KubectlRead>;

beforeAll(async () => {
  // One kubectl process per file, four at a time.
  const reads = await pool(files, 4, kubectlReads);
  oracle = new Map(files.map((f, i) => [f, reads[i]]));
}, 120_000);

describe('check reads YAML as kubectl does (kubectl 1.33 annotate --local, no server)', () => {
  test('the fixtures hold the corpus and the edge cases, and kubectl refuses exactly the error-* files', () => {
    // GIVEN the YAML files of test/fixtures
    const names = files.map(f => f.slice(FIXTURES.length + 1));

    // THEN
    expect(names.filter(n => n.startsWith('corpus/')).length).toBeGreaterThanOrEqual(20);
    expect(names.filter(n => n.startsWith('yaml-semantics/')).length).toBeGreaterThanOrEqual(10);
    expect(files.filter(f => !oracle.get(f)!.ok).map(f => f.split('/').pop())).toEqual(
      files.filter(f => /\/error-[^/]*$/.test(f)).map(f => f.split('/').pop()));
  });

  test.each(files.map(f => [f.slice(FIXTURES.length + 1), f]))('%s', async (_name, file) => {
    // GIVEN kubectl's reading of the file
    const kubectl = oracle.get(file)!;

    // WHEN check reads it
    const check = await checkReads(file);

    // THEN the same values, or an error where kubectl refuses the file
    if (kubectl.ok) {
      expect(check.errors).toEqual([]);
      expect(check.documents.map(annotated)).toEqual(kubectl.documents);
    } else {
      expect(check.errors.length).toBeGreaterThan(0);
    }
  });

  test('a refused file is reported at the line go-yaml names, or the next (go-yaml names a flow collection\'s context line for some errors)', async () => {
    // GIVEN files whose error kubectl places on a line
    const located = files.filter(f => /yaml: line \d+/.test(oracle.get(f)!.stderr));

    // WHEN
    const lines = await Promise.all(located.map(async f => Number(/^[^:]+:(\d+): /.exec((await checkReads(f)).errors[0])![1])));

    // THEN
    expect(located.length).toBeGreaterThanOrEqual(2);
    located.forEach((f, i) => {
      const kubectlLine = Number(/yaml: line (\d+)/.exec(oracle.get(f)!.stderr)![1]);
      expect([kubectlLine, kubectlLine + 1]).toContain(lines[i]);
    });
  });
});
