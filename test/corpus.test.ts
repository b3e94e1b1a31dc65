/**
 * Real manifests (test/fixtures/corpus, sources in SOURCES.md) against
 * verdicts derived by hand from the kubelet rules (expected.json): every
 * listed workload found, every listed sidecar judged as expected, in start
 * order, and no container listed as "not a sidecar" taken for one.
 */
import * as path from 'path';
import { Severity, SidecarReport } from '../src';
import { InputDocument, readInputs } from '../src/analyzer/manifest-reader';
import { analyzeDocument } from '../src/analyzer/sidecar-analyzer';
import { parseKubernetesVersion } from '../src/private/rules/kubernetes-version';

/* eslint-disable @typescript-eslint/no-explicit-any */

const CORPUS = path.join(__dirname, 'fixtures', 'corpus');

interface ExpectedWorkload {
  readonly file: string;
  readonly document: number;
  readonly item?: number;
  readonly kind: string;
  readonly name: string | null;
  readonly sidecars: Array<{ name: string; placement: string; gate: string; appWaitsForReady: boolean }>;
  readonly notSidecars?: string[];
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const EXPECTED: ExpectedWorkload[] = require('./fixtures/corpus/expected.json');

/** Every document of a file, List items one by one, as `sidecar-first check` reads them. */
async function documents(file: string): Promise<InputDocument[]> {
  const docs: InputDocument[] = [];
  for await (const event of readInputs([path.join(CORPUS, file)], async function* () {}) as AsyncIterable<any>) {
    if ('error' in event) {
      throw new Error(`${file}:${event.error.line}: ${event.error.message}`);
    }
    docs.push(event.document);
  }
  return docs;
}

const FILES = [...new Set(EXPECTED.map(w => w.file))];

test('the corpus holds real manifests of several projects', () => {
  expect(FILES.length).toBeGreaterThanOrEqual(30);
  expect(EXPECTED.flatMap(w => w.sidecars).length).toBeGreaterThanOrEqual(40);
});

describe.each(FILES)('%s', (file) => {
  test.each(EXPECTED.filter(w => w.file === file).map(w => [`${w.kind} ${w.name ?? '(no name)'} (document ${w.document})`, w] as const))('%s', async (_title, expected) => {
    // GIVEN
    const docs = (await documents(file)).filter(d => d.document === expected.document);

    // WHEN
    const reports = docs.flatMap(d => analyzeDocument(d.value, { named: [], images: [], ignore: [] }).map(r => r.report));
    const report = reports.find(r => r.kind === expected.kind && r.name === (expected.name ?? ''));

    // THEN
    expect(report).toBeDefined();
    expect(report!.invalid).toBeUndefined();
    expect(report!.sidecars.map(s => ({ name: s.name, placement: s.placement, gate: s.gate, appWaitsForReady: s.appWaitsForReady })))
      .toEqual(expected.sidecars.map(s => ({ name: s.name, placement: s.placement, gate: s.gate, appWaitsForReady: s.appWaitsForReady })));
    expect(report!.sidecars.map(s => s.name).filter(n => expected.notSidecars?.includes(n))).toEqual([]);
    // A sidecar the app does not wait for always says why, as an error.
    const unexplained = (s: SidecarReport) => !s.appWaitsForReady && !s.findings.some(f => f.severity === Severity.ERROR);
    expect(report!.sidecars.filter(unexplained)).toEqual([]);
  });
});

test.each(FILES)('%s: every workload the analyzer reports is one the hand derivation lists', async (file) => {
  // GIVEN every document of the file
  const docs = await documents(file);

  // WHEN
  const reported = docs.flatMap(d => {
    return analyzeDocument(d.value, { named: [], images: [], ignore: [] }).map(({ report: r }) => `${d.document} ${r.kind} ${r.name}`);
  });

  // THEN no pod-bearing document goes unchecked, nor is one found twice
  const listed = EXPECTED.filter(w => w.file === file).map(w => `${w.document} ${w.kind} ${w.name ?? ''}`);
  expect(reported.sort()).toEqual(listed.sort());
});

describe('what the hand derivations say besides the verdicts', () => {
  test.each<[string, string, string, string[]]>([
    ['cloud-sql-proxy/proxy_with_http_health_check.yaml', '1.30', 'cloud-sql-proxy', ['SF112']],
    ['kubernetes-website/job-sidecar-legacy.yaml', '1.30', 'logshipper', ['SF105', 'SF205', 'SF104']],
    ['istio/native-sidecar.yaml.injected', '1.28', 'istio-proxy', ['SF201']],
    ['istio/grpc-agent.yaml.injected', '1.30', 'istio-proxy', ['SF105', 'SF102']],
    ['kuma/inject.35.golden.yaml', '1.30', 'busybox', ['SF113', 'SF114', 'SF111']],
  ])('%s on %s: %s', async (file, version, sidecar, ids) => {
    // GIVEN
    const [doc] = await documents(file);

    // WHEN
    const [{ report }] = analyzeDocument(doc.value, { named: [], images: [], ignore: [], version: parseKubernetesVersion(version) });

    // THEN
    expect(report.sidecars.find(s => s.name === sidecar)!.findings.map(f => f.id)).toEqual(ids);
  });
});
