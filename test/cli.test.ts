import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { SidecarFirstValidation } from '../src';
import { CliIo, main } from '../src/cli/main';

/* eslint-disable @typescript-eslint/no-explicit-any */

const NATIVE = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: myapp
spec:
  selector: {}
  template:
    spec:
      initContainers:
        - name: nginx
          image: nginx
          restartPolicy: Always
          startupProbe: { httpGet: { path: /, port: 80 }, periodSeconds: 1 }
      containers:
        - name: app
          image: app
`;
const UNGATED = `apiVersion: v1
kind: Pod
metadata:
  name: blog-post
  namespace: demo
spec:
  initContainers:
    - name: proxy
      image: envoy
      restartPolicy: Always
      readinessProbe: { httpGet: { path: /ready, port: 9901 } }
  containers:
    - name: app
      image: app
`;

/** Writes files into a fresh directory; returns its path. */
function tree(files: { [name: string]: string }): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sf-cli-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function run(argv: string[], stdin = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { stdout: t => (stdout += t), stderr: t => (stderr += t), stdin: async () => stdin };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

describe('sidecar-first check', () => {
  test('a directory, recursively: one table per workload and a summary', async () => {
    // GIVEN
    const dir = tree({ 'a/native.yaml': NATIVE, 'b/blog.yml': UNGATED, 'notes.txt': 'not a manifest' });

    // WHEN
    const result = await run(['check', dir]);

    // THEN
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        `${dir}/a/native.yaml:1  Deployment myapp`,
        '  SIDECAR  PLACEMENT  GATE          STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
        '  nginx    native     startupProbe  yes                yes                  app-never-starts',
        '',
        `${dir}/b/blog.yml:1  Pod demo/blog-post`,
        '  SIDECAR  PLACEMENT  GATE  STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
        '  proxy    native     none  in-parallel        NO                   app-runs-sidecar-not-ready',
        '    - readinessProbe does not delay the app',
        '',
        '2 workloads, 2 sidecars: 1 held until ready, 1 not',
        '',
      ].join('\n'),
    });
  });

  test('--format json, from standard input, multi-document with a skipped kind', async () => {
    // WHEN
    const result = await run(['check', '--format', 'json', '-'], `${NATIVE}---\napiVersion: v1\nkind: Service\nmetadata: { name: s }\n`);

    // THEN
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      workloads: [{
        file: '<stdin>',
        document: 0,
        line: 1,
        kind: 'Deployment',
        name: 'myapp',
        namespace: null,
        findings: [],
        sidecars: [{ name: 'nginx', placement: 'native', gate: 'startupProbe', startsBeforeApp: 'yes', appWaitsForReady: true, ifCheckNeverPasses: 'app-never-starts', findings: [] }],
      }],
    });
  });

  test('--require-ready exits 1 when an app does not wait', async () => {
    const dir = tree({ 'ok.yaml': NATIVE, 'bad.yaml': UNGATED });
    expect((await run(['check', '--require-ready', path.join(dir, 'ok.yaml')])).code).toBe(0);
    expect((await run(['check', '--require-ready', dir])).code).toBe(1);
    expect((await run(['check', dir])).code).toBe(0);
  });

  test('--kubernetes-version adds the findings that depend on it; --sidecar names more sidecars', async () => {
    // GIVEN
    const dir = tree({ 'a.yaml': NATIVE.replace('- name: app', '- name: shipper\n          image: fluent-bit\n        - name: app') });

    // WHEN
    const result = await run(['check', '--format', 'json', '--kubernetes-version', '1.28', '--sidecar', 'shipper', dir]);

    // THEN
    const sidecars = JSON.parse(result.stdout).workloads[0].sidecars;
    expect(sidecars.map((s: any) => [s.name, s.appWaitsForReady, s.findings])).toEqual([
      ['nginx', true, ['restartPolicy on an init container needs Kubernetes 1.29+ (1.28 has native sidecars off by default and drops the field)']],
      ['shipper', false, []],
    ]);
  });

  test('unreadable or invalid input: exit 2 with file:line, after reporting the readable documents', async () => {
    // GIVEN
    const dir = tree({
      'good.yaml': NATIVE,
      'broken.yaml': `${NATIVE}---\nkind: Pod\nmetadata: { name: x\nspec: [\n`,
      'invalid.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'j' }, spec: { containers: 'app' } }),
    });

    // WHEN
    const result = await run(['check', '--format', 'json', dir, path.join(dir, 'missing.yaml')]);

    // THEN
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).workloads.map((w: any) => [path.basename(w.file), w.name, w.invalid])).toEqual([
      ['broken.yaml', 'myapp', undefined],
      ['good.yaml', 'myapp', undefined],
      ['invalid.json', 'j', 'containers is not a list'],
    ]);
    expect(result.stderr.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${dir}/broken.yaml:2[0-9]: `)),
      `${dir}/missing.yaml: cannot read: ENOENT`,
      `${dir}/invalid.json:1: Pod "j": containers is not a list`,
      '',
    ]);
  });

  test('--format mermaid draws the start-up sequence', async () => {
    const result = await run(['check', '--format', 'mermaid', '-'], UNGATED.replace('metadata:\n  name: blog-post', 'metadata:\n  name: blog-post') + '---\n' + NATIVE);
    expect(result.stdout).toEqual([
      'flowchart LR',
      '  subgraph w0["Pod blog-post"]',
      '    direction LR',
      '    w0s0["sidecar: proxy"]',
      '    w0s1["app: app"]',
      '    w0s0 -->|"in parallel"| w0s1',
      '  end',
      '  subgraph w1["Deployment myapp"]',
      '    direction LR',
      '    w1s0["sidecar: nginx"]',
      '    w1s1["app: app"]',
      '    w1s0 -->|"startupProbe passes"| w1s1',
      '  end',
      '',
    ].join('\n'));
  });

  test.each<[string[], string]>([
    [['check', '--format', 'xml', 'x'], 'sidecar-first: --format is "xml"; use table, json or mermaid'],
    [['check', '--frobnicate', 'x'], 'sidecar-first: unknown option "--frobnicate"'],
    [['lint', 'x'], 'sidecar-first: unknown command "lint"'],
    [['check', '--kubernetes-version'], 'sidecar-first: --kubernetes-version needs a value'],
  ])('bad usage %j exits 2', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });

  test('--help prints the usage and exits 0', async () => {
    const result = await run(['--help']);
    expect([result.code, result.stdout.split('\n')[0]]).toEqual([0, 'Usage: sidecar-first check [options] PATH...']);
  });
});

describe('SidecarFirstValidation, the cdk8s-cli validation plugin', () => {
  /** What cdk8s-cli hands a plugin: the manifests and a report to fill. */
  function context(manifests: string[]) {
    const violations: any[] = [];
    let status: string | undefined;
    return {
      manifests,
      report: { addViolation: (v: any) => violations.push(v), submit: (s: string) => (status = s) },
      result: () => ({ status, violations }),
    };
  }

  test('fails synth when an app does not wait for its sidecar', async () => {
    // GIVEN
    const dir = tree({ 'ok.k8s.yaml': NATIVE, 'bad.k8s.yaml': UNGATED });
    const ctx = context([path.join(dir, 'ok.k8s.yaml'), path.join(dir, 'bad.k8s.yaml')]);

    // WHEN
    await new SidecarFirstValidation({}).validate(ctx);

    // THEN
    expect(ctx.result()).toEqual({
      status: 'failure',
      violations: [{
        ruleName: 'sidecar-first/app-waits-for-sidecar',
        recommendation: 'The app of Pod "blog-post" starts without waiting for sidecar "proxy" to be ready (readinessProbe does not delay the app).',
        fix: 'Declare the sidecar with cdk8s-sidecar-first (SidecarFirstDeployment, SidecarFirst.attach or SidecarFirst.patch), or give it a startupProbe (native sidecar) or a waiting postStart hook.',
        violatingResources: [{ resourceName: 'blog-post', manifestPath: path.join(dir, 'bad.k8s.yaml'), locations: ['sidecar proxy'] }],
      }],
    });
  });

  test('passes when every app waits; the version from cdk8s.yaml adds its findings', async () => {
    const dir = tree({ 'ok.k8s.yaml': NATIVE });
    const ok = context([path.join(dir, 'ok.k8s.yaml')]);
    await new SidecarFirstValidation({ kubernetesVersion: '1.30' }).validate(ok);
    expect(ok.result()).toEqual({ status: 'success', violations: [] });
  });
});
