import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { SidecarFirstValidation } from '../src';
import { ISTIO_LAST, NATIVE, run, tree, UNGATED } from './support/cli-run';
import { readInputs } from '../src/analyzer/manifest-reader';
import { main } from '../src/cli/main';

/* eslint-disable @typescript-eslint/no-explicit-any */

describe('sidecar-first check', () => {
  test('a directory, recursively: one table per workload, findings with their IDs, and a summary', async () => {
    // GIVEN
    const dir = tree({ 'a/native.yaml': NATIVE, 'b/blog.yml': UNGATED, 'c/istio.yaml': ISTIO_LAST, 'notes.txt': 'not a manifest' });

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
        '    - SF200 info: verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)',
        '',
        `${dir}/b/blog.yml:1  Pod demo/blog-post`,
        '  SIDECAR  PLACEMENT  GATE  STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
        '  proxy    native     none  in-parallel        NO                   app-runs-sidecar-not-ready',
        '    - SF200 info: verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)',
        '    - SF102 error: readinessProbe does not delay the app',
        '',
        `${dir}/c/istio.yaml:1  Pod hello`,
        '  SIDECAR      PLACEMENT  GATE  STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
        '  istio-proxy  legacy     none  in-parallel        NO                   app-runs-sidecar-not-ready',
        '    - SF105 error: listed after app container "hello", which starts before it: a sidecar in spec.containers must come first',
        '    - SF102 error: readinessProbe does not delay the app',
        '',
        '3 workloads, 3 sidecars: 1 held until ready, 2 not',
        '',
      ].join('\n'),
    });
  });

  test('--format json (-o json), from standard input, multi-document with a skipped kind; no namespace when unset', async () => {
    // WHEN
    const result = await run(['check', '-o', 'json', '--kubernetes-version', '1.30', '-'], `${NATIVE}---\napiVersion: v1\nkind: Service\nmetadata: { name: s }\n`);

    // THEN
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toStrictEqual({
      workloads: [{
        file: '<stdin>',
        document: 0,
        line: 1,
        kind: 'Deployment',
        name: 'myapp',
        podSpecPath: 'spec.template.spec',
        findings: [],
        sidecars: [{ name: 'nginx', placement: 'native', gate: 'startupProbe', startsBeforeApp: 'yes', appWaitsForReady: true, ifCheckNeverPasses: 'app-never-starts', findings: [] }],
      }],
      summary: { workloads: 1, sidecars: 1, heldUntilReady: 1, notHeld: 0, findings: 0, ignored: 0 },
    });
    expect(result.stdout).toBe(`${JSON.stringify(JSON.parse(result.stdout), undefined, 2)}\n`);
    expect((await run(['check', '-o', 'json', '-'], 'kind: ConfigMap\n')).stdout).toBe(`${JSON.stringify({ workloads: [], summary: { workloads: 0, sidecars: 0, heldUntilReady: 0, notHeld: 0, findings: 0, ignored: 0 } }, undefined, 2)}\n`);
  });

  test('standard input read in pieces gives what it gives whole: documents split at --- and ... lines, lines counted', async () => {
    // GIVEN markers, comments, a document end, CRLF line ends and a block scalar with dashes in it
    const text = `# leading comment\n${NATIVE}...\n--- # second\n${UNGATED.replace(/\n/g, '\r\n')}---\nkind: ConfigMap\ndata:\n  a: |\n    ---x\n    -- y\n---\n${ISTIO_LAST}`;
    const whole = await run(['check', '-o', 'json', '-'], text);

    // WHEN
    const pieces = await Promise.all([1, 2, 3, 7].map(size => run(['check', '-o', 'json', '-'], text, size)));

    // THEN a document's line is its first line of content, or its --- marker
    expect(JSON.parse(whole.stdout).workloads.map((w: any) => [w.document, w.line, w.kind, w.name])).toEqual([
      [0, 2, 'Deployment', 'myapp'],
      [1, 19, 'Pod', 'blog-post'],
      [3, 40, 'Pod', 'hello'],
    ]);
    pieces.forEach(piece => expect(piece).toEqual(whole));
  });

  test('each item of a kind: List at its own line', async () => {
    // GIVEN
    const indent = (text: string) => text.trimEnd().split('\n').map((l, i) => `${i === 0 ? '  - ' : '    '}${l}`).join('\n');
    const list = `apiVersion: v1\nkind: List\nitems:\n${indent(NATIVE)}\n${indent(UNGATED)}\n`;

    // WHEN
    const result = await run(['check', '-o', 'json', '-'], list);

    // THEN
    expect(JSON.parse(result.stdout).workloads.map((w: any) => [w.document, w.line, w.name])).toEqual([[0, 4, 'myapp'], [0, 20, 'blog-post']]);
  });

  test('JSON as kubectl prints it: a List\'s items at their lines, a single object at its first line', async () => {
    // GIVEN
    const [native, ungated] = [NATIVE, UNGATED].map(text => parse(text));
    const list = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [native, ungated] }, undefined, 4);

    // WHEN
    const fromList = await run(['check', '-o', 'json', '-'], list);
    const single = await run(['check', '-o', 'json', '-'], `\n\n${JSON.stringify(ungated, undefined, 2)}`);

    // THEN
    expect(JSON.parse(fromList.stdout).workloads.map((w: any) => [w.line, w.name])).toEqual([[5, 'myapp'], [39, 'blog-post']]);
    expect(JSON.parse(single.stdout).workloads.map((w: any) => [w.line, w.name, w.sidecars.length])).toEqual([[3, 'blog-post', 1]]);
  });

  test('kubectl get -A -o json: a List of Lists read item by item, each at its line; --require-ready sees the ungated sidecar inside', async () => {
    // GIVEN a List whose first item is a List (kubectl applies the items of both), as kubectl indents it
    const [native, ungated] = [NATIVE, UNGATED].map(text => parse(text));
    const inner = { apiVersion: 'v1', kind: 'List', items: [ungated], metadata: {} };
    const list = JSON.stringify({ apiVersion: 'v1', items: [inner, native], kind: 'List', metadata: { resourceVersion: '' } }, undefined, 4);

    // WHEN
    const result = await run(['check', '-o', 'json', '--require-ready', '-'], list, 5);

    // THEN
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).workloads.map((w: any) => [w.document, w.line, w.name])).toEqual([[0, 8, 'blog-post'], [0, 40, 'myapp']]);
  });

  test('kubectl get -A -o yaml: a List of Lists cut at its items, each at its line', async () => {
    // GIVEN kubectl's form: items at the List's indentation, kind after them
    const entry = (text: string, pad: string) => text.trimEnd().split('\n').map((l, i) => `${pad}${i === 0 ? '- ' : '  '}${l}`).join('\n');
    const list = `apiVersion: v1\nitems:\n- apiVersion: v1\n  items:\n${entry(UNGATED, '  ')}\n  kind: List\n${entry(NATIVE, '')}\n`
      + 'kind: List\nmetadata:\n  resourceVersion: ""\n---\nkind: List\nitems:\n  # a comment\n' + `${entry(ISTIO_LAST, '  ')}\n`;

    // WHEN
    const pieces = await Promise.all([3, 65536].map(size => run(['check', '-o', 'json', '--require-ready', '-'], list, size)));

    // THEN
    expect(pieces[0]).toEqual(pieces[1]);
    expect(pieces[1].code).toBe(1);
    expect(JSON.parse(pieces[1].stdout).workloads.map((w: any) => [w.document, w.line, w.name])).toEqual([[0, 5, 'blog-post'], [0, 20, 'myapp'], [1, 43, 'hello']]);
  });

  test.each([
    ['JSON', (items: string[]) => `{"kind": "List", "items": [\n${items.join(',\n')}\n]}\n`, [['a', 2], ['b', 3], ['c', 4]]],
    ['YAML', (items: string[]) => `kind: List\nitems:\n${items.map(i => `- ${i}`).join('\n')}\n`, [['a', 4], ['b', 5], ['c', 5]]],
  ])('a %s List is read one item at a time: each item is out once it is complete, before the rest is read', async (_format, list, expected) => {
    // GIVEN a List whose chunks are counted as they are read
    const item = (name: string) => JSON.stringify({ kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app' }] } });
    const chunks = list([item('a'), item('b'), item('c')]).split(/(?<=\n)/);
    let read = 0;
    async function* stdin() {
      for (const chunk of chunks) {
        read++;
        yield chunk;
      }
    }

    // WHEN
    const seen: Array<[string, number]> = [];
    for await (const event of readInputs(['-'], stdin)) {
      seen.push(['document' in event ? event.document.value.metadata.name : event.error.message, read]);
    }

    // THEN a JSON item is out when its last line is read, a YAML item when the next entry starts
    expect(seen).toEqual(expected);
  });

  test('a document or List item over --max-document-mib is reported with its line, exit 2, and its input read no further (an endless stdin too)', async () => {
    // GIVEN a List whose second item is over 1 MiB, and the output of `yes 'a: b'`
    const big = JSON.stringify({ kind: 'Pod', metadata: { name: 'big', annotations: { a: 'x'.repeat(2 ** 20) } }, spec: { containers: [{ name: 'app' }] } });
    const list = `{"kind": "List", "items": [\n${JSON.stringify(parse(UNGATED))},\n${big},\n${JSON.stringify(parse(NATIVE))}]}`;
    async function* yes() {
      const lines = 'a: b\n'.repeat(65536);
      for (;;) {
        yield lines;
      }
    }

    // WHEN
    const result = await run(['check', '--max-document-mib', '1', '-o', 'json', '-'], list, 65536);
    let stderr = '';
    const endless = await main(['check', '--max-document-mib', '1', '-'], { stdout: () => {}, stderr: t => (stderr += t), stdin: yes });

    // THEN
    expect([result.code, JSON.parse(result.stdout).workloads.map((w: any) => w.name), result.stderr])
      .toEqual([2, ['blog-post'], '<stdin>:3: document too large: over 1 MiB (--max-document-mib)\n']);
    expect([endless, stderr]).toEqual([2, '<stdin>:1: document too large: over 1 MiB (--max-document-mib)\n']);
  });

  test('one long line (a 5 MiB annotation) in small chunks: read whole', async () => {
    const pod = `kind: Pod\nmetadata:\n  name: p\n  annotations: { a: "${'y'.repeat(5 * 2 ** 20)}" }\nspec:\n  containers: [{ name: app }]\n`;
    const result = await run(['check', '-o', 'json', '-'], pod, 4096);
    expect([result.code, JSON.parse(result.stdout).workloads.map((w: any) => w.name)]).toEqual([0, ['p']]);
  });

  test('concatenated JSON documents, and a YAML flow mapping (it starts with { too) followed by more YAML', async () => {
    // GIVEN
    const pod = (name: string) => JSON.stringify({ kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'app' }] } });
    const text = `${pod('a')}\n  ${pod('b')}\n{kind: Pod, metadata: {name: c},\n spec: {containers: [{name: app}]}}\n---\n${pod('d')}\n`;

    // WHEN
    const results = await Promise.all([3, 65536].map(size => run(['check', '-o', 'json', '-'], text, size)));

    // THEN
    expect(results[0]).toEqual(results[1]);
    expect(JSON.parse(results[1].stdout).workloads.map((w: any) => [w.document, w.line, w.name])).toEqual([[0, 1, 'a'], [1, 2, 'b'], [2, 3, 'c'], [3, 6, 'd']]);
  });

  test('a long double-quoted scalar (read by a faster path) has the value yaml gives it, escapes included; a bad escape is still an error', async () => {
    // GIVEN values of 5,000 characters and more, with every kind of escape
    const long = 'z'.repeat(5000);
    const texts = [`a: "${long}\\x41\\u00e9\\U0001F600\\"\\\\ '\\/\\_"\n`, `a: "${long}\\t\\n\\0\\e"\n`, `a: ["${long}", '${long}', "${long}\\\\"]\n`];

    // WHEN
    const values = await Promise.all([...texts, `a: "${long}\\q"\n`].map(async text => {
      const events = [];
      for await (const event of readInputs(['-'], async function* () { yield text; })) {
        events.push(event);
      }
      return events.map(e => ('document' in e ? e.document.value : e.error.message));
    }));

    // THEN
    expect(values).toEqual([...texts.map(text => [parse(text)]), ['Invalid escape sequence \\q']]);
  });

  test.each([
    ['JSON nested too deep', `{"kind": "Pod",\n "spec": ${'['.repeat(300)}${']'.repeat(300)}}`, '<stdin>:2: nested deeper than 256 levels'],
    ['YAML nested too deep', `kind: Pod\nspec:\n  x: ${'['.repeat(300)}${']'.repeat(300)}\n`, '<stdin>:3: nested deeper than 256 levels'],
    ['YAML nested too deep as blocks', `kind: Pod\nspec:\n${Array.from({ length: 300 }, (_, i) => `${' '.repeat(i + 2)}a:`).join('\n')}\n`, '<stdin>:258: nested deeper than 256 levels'],
    ['duplicate key in JSON', '{"kind": "Pod",\n "metadata": {"name": "a",\n  "name": "b"}}', '<stdin>:3: duplicate key "name"'],
    ['duplicate key in a JSON List item', '{"items": [\n{"kind": "Pod"},\n{"kind": "Pod", "kind": "Job"}]}', '<stdin>:3: duplicate key "kind"'],
    ['JSON syntax in a List', '{"items": [\n{"kind": "Pod"}\n{"kind": "Job"}]}', '<stdin>:3: expected "," or "]" between the items of the List, found "{"'],
    ['YAML syntax', `${NATIVE}---\nkind: Pod\nmetadata: { name: x\nspec: [\n`, '<stdin>:20: Flow map in block collection must be sufficiently indented and end with a }'],
  ])('%s: one line number, a clear message, exit 2', async (_title, input, message) => {
    const result = await run(['check', '-'], input, 7);
    expect([result.code, result.stderr]).toEqual([2, `${message}\n`]);
  });

  test('256 levels deep is read (no stack overflow), as JSON and YAML', async () => {
    const json = await run(['check', '-'], `{"kind": "Pod", "spec": {"containers": [{"name": "a"}], "x": ${'['.repeat(253)}${']'.repeat(253)}}}`);
    const yaml = await run(['check', '-'], `kind: Pod\nspec:\n  containers: [{ name: a }]\n${Array.from({ length: 254 }, (_, i) => `${' '.repeat(i + 2)}a:`).join('\n')}\n`);
    expect([json.code, json.stderr, yaml.code, yaml.stderr]).toEqual([0, '', 0, '']);
  });

  test('symbolic links in a scanned directory: directories followed, a loop reported and skipped, a broken link to a manifest an error', async () => {
    // GIVEN
    const dir = tree({ 'real/a.yaml': NATIVE, 'top.yaml': UNGATED });
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'));
    fs.symlinkSync(dir, path.join(dir, 'real', 'up'));
    fs.symlinkSync(path.join(dir, 'gone.yaml'), path.join(dir, 'broken.yaml'));

    // WHEN
    const result = await run(['check', '-o', 'json', dir]);

    // THEN
    expect(JSON.parse(result.stdout).workloads.map((w: any) => path.relative(dir, w.file))).toEqual(['linked/a.yaml', 'real/a.yaml', 'top.yaml']);
    expect([result.code, result.stderr.split('\n')]).toEqual([2, [
      `${dir}/broken.yaml: cannot read: no such file or directory`,
      `${dir}/linked/up: skipped: a symbolic link to a directory that contains it (a loop)`,
      `${dir}/real/up: skipped: a symbolic link to a directory that contains it (a loop)`,
      '',
    ]]);
  });

  test('a JobSet: each pod template reported with the path where it was found; --require-ready sees the ungated one', async () => {
    // GIVEN
    const ungated = parse(UNGATED).spec;
    const jobSet = {
      apiVersion: 'jobset.x-k8s.io/v1alpha2',
      kind: 'JobSet',
      metadata: { name: 'train' },
      spec: { replicatedJobs: [{ name: 'w', template: { spec: { backoffLimit: 0, template: { spec: { ...ungated, restartPolicy: 'Never' } } } } }] },
    };

    // WHEN
    const result = await run(['check', '--require-ready', '--kubernetes-version', '1.33.6', '-'], JSON.stringify(jobSet));

    // THEN
    expect([result.code, result.stdout.split('\n').slice(0, 3)]).toEqual([1, [
      '<stdin>:1  JobSet train at spec.replicatedJobs[0].template.spec.template.spec',
      '  SIDECAR  PLACEMENT  GATE  STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
      '  proxy    native     none  in-parallel        NO                   app-runs-sidecar-not-ready',
    ]]);
  });

  test('--require-ready exits 1 when an app does not wait, including for a known helper found without --sidecar', async () => {
    const dir = tree({ 'ok.yaml': NATIVE, 'bad.yaml': UNGATED, 'istio.yaml': ISTIO_LAST });
    expect((await run(['check', '--require-ready', path.join(dir, 'ok.yaml')])).code).toBe(0);
    expect((await run(['check', '--require-ready', path.join(dir, 'istio.yaml')])).code).toBe(1);
    expect((await run(['check', '--require-ready', dir])).code).toBe(1);
    expect((await run(['check', dir])).code).toBe(0);
  });

  test('--kubernetes-version: native sidecars below 1.29 do not wait; --sidecar names more sidecars', async () => {
    // GIVEN
    const dir = tree({ 'a.yaml': NATIVE.replace('- name: app', '- name: shipper\n          image: fluent-bit\n        - name: app') });

    // WHEN
    const result = await run(['check', '--format', 'json', '--require-ready', '--kubernetes-version', '1.28', '--sidecar', 'shipper', dir]);

    // THEN
    expect(result.code).toBe(1);
    const sidecars = JSON.parse(result.stdout).workloads[0].sidecars;
    expect(sidecars.map((s: any) => [s.name, s.appWaitsForReady, s.findings.map((f: any) => f.id)])).toEqual([
      ['nginx', false, ['SF201']],
      ['shipper', false, ['SF104']],
    ]);
  });

  test('unreadable or invalid input: exit 2 with file:line and a readable reason, after reporting the readable documents', async () => {
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
      `${dir}/invalid.json:1: Pod "j": containers is not a list`,
      `${dir}/missing.yaml: cannot read: no such file or directory`,
      '',
    ]);
  });

  test('a FIFO in a scanned directory is skipped with a message, not read (it would wait for a writer forever)', async () => {
    // GIVEN
    const dir = tree({ 'a.yaml': NATIVE });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yaml')]);

    // WHEN
    const result = await run(['check', dir]);

    // THEN
    expect([result.code, result.stderr]).toEqual([0, `${dir}/pipe.yaml: skipped: not a regular file (a FIFO)\n`]);
    expect(result.stdout).toContain('1 workload, 1 sidecar: 1 held until ready, 0 not');
  });

  test('--format mermaid draws the start-up sequence: init containers exit, sidecars pass their gate, app containers start together', async () => {
    // GIVEN
    const pod = 'kind: Pod\nmetadata: { name: p }\nspec:\n  initContainers:\n    - { name: setup }\n'
      + '    - { name: proxy, restartPolicy: Always, startupProbe: { tcpSocket: { port: 1 }, periodSeconds: 1 } }\n'
      + '  containers:\n    - { name: web }\n    - { name: worker }\n';

    // WHEN
    const result = await run(['check', '--format', 'mermaid', '-'], `${UNGATED}---\n${pod}`);

    // THEN
    expect(result.stdout).toEqual([
      'flowchart LR',
      '  subgraph w0["Pod blog-post"]',
      '    direction LR',
      '    w0s0["sidecar: proxy"]',
      '    w0s1["app: app"]',
      '    w0s0 -->|"in parallel"| w0s1',
      '  end',
      '  subgraph w1["Pod p"]',
      '    direction LR',
      '    w1s0["init: setup"]',
      '    w1s1["sidecar: proxy"]',
      '    w1s2["app: web"]',
      '    w1s3["app: worker"]',
      '    w1s0 -->|"exits 0"| w1s1',
      '    w1s1 -->|"startupProbe passes"| w1s2',
      '    w1s2 -->|"in parallel"| w1s3',
      '  end',
      '',
    ].join('\n'));
  });

  test('--format mermaid: no name can add a statement or a directive (checked with the real mermaid parser)', async () => {
    // GIVEN names that try to close the label, add a node, an edge, a click handler, a comment and an init directive
    const hostile = [
      'a"] --> evil["pwned',
      'b\n  click w0s0 call alert()',
      '%%{init: {"theme": "forest", "securityLevel": "loose"}}%%',
      'c\r\n%% comment\nd',
      '`**md**` <b>html</b> #quot; &amp; end',
    ];
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'x"]\nend\nsubgraph y["' },
      spec: { initContainers: [{ name: hostile[0], restartPolicy: 'Always' }], containers: hostile.slice(1).map(name => ({ name })) },
    };

    // WHEN
    const result = await run(['check', '--format', 'mermaid', '-'], JSON.stringify(pod));
    const parsed = JSON.parse(execFileSync(process.execPath, [path.join(__dirname, 'support', 'mermaid-parse.mjs')], { input: result.stdout, encoding: 'utf8' }));

    // THEN the diagram holds exactly our nodes, edges and subgraph, the names as text, and no directive
    const roles = ['sidecar', 'app', 'app', 'app', 'app'];
    expect(parsed).toEqual({
      config: {},
      nodes: hostile.map((name, i) => ({ id: `w0s${i}`, text: `${roles[i]}: ${name}` })),
      edges: [0, 1, 2, 3].map(i => ({ from: `w0s${i}`, to: `w0s${i + 1}`, text: 'in parallel' })),
      subgraphs: [{ id: 'w0', title: `Pod ${pod.metadata.name}`, nodes: expect.arrayContaining(hostile.map((_, i) => `w0s${i}`)) }],
    });
  });

  test('the text report shows names and file names on one line each, with control and format characters escaped', async () => {
    // GIVEN a file name that clears the screen, a workload name that sets the window title, and
    // container names that return the cursor, print a forged summary line and reverse the text
    const forged = '\n0 workloads, 0 sidecars: 0 held until ready, 0 not\n';
    const dir = tree({
      [`clear\x1b[2J${forged.trim()}\n.yaml`]: JSON.stringify({
        kind: 'Pod',
        metadata: { name: 'x\x1b]0;pwned\x07', namespace: 'n\u202egnp.exe' },
        spec: {
          initContainers: [{ name: '\x1b[2Jproxy\x9b', restartPolicy: 'Always', readinessProbe: { httpGet: { port: 1 } } }],
          containers: [
            { name: `web\r${forged}`, image: 'app' },
            { name: 'istio-proxy', image: 'docker.io/istio/proxyv2:1.22.0', readinessProbe: { httpGet: { port: 15021 } } },
          ],
        },
      }),
    });

    // WHEN
    const result = await run(['check', dir]);

    // THEN
    expect(result.stdout.split('\n')).toEqual([
      `${dir}/clear\\x1b[2J0 workloads, 0 sidecars: 0 held until ready, 0 not\\n.yaml:1  Pod n\\u{202e}gnp.exe/x\\x1b]0;pwned\\x07`,
      '  SIDECAR           PLACEMENT  GATE  STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
      '  \\x1b[2Jproxy\\x9b  native     none  in-parallel        NO                   app-runs-sidecar-not-ready',
      '    - SF200 info: verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)',
      '    - SF102 error: readinessProbe does not delay the app',
      '  istio-proxy       legacy     none  in-parallel        NO                   app-runs-sidecar-not-ready',
      '    - SF105 error: listed after app container "web\\r\\n0 workloads, 0 sidecars: 0 held until ready, 0 not\\n", which starts before it: a sidecar in spec.containers must come first',
      '    - SF102 error: readinessProbe does not delay the app',
      '',
      '1 workload, 2 sidecars: 0 held until ready, 2 not',
      '',
    ]);
    expect(result.stderr).toBe('');
  });

  test('an error about a file shows its name escaped, on one line', async () => {
    const dir = tree({ 'ok.yaml': NATIVE });
    const result = await run(['check', path.join(dir, 'no\x1b[2Jsuch\n.yaml')]);
    expect([result.code, result.stderr]).toEqual([2, `${dir}/no\\x1b[2Jsuch\\n.yaml: cannot read: no such file or directory\n`]);
  });

  test.each<[string[], string]>([
    // The message lists every format: three more since sarif, junit and github.
    [['check', '--format', 'xml', 'x'], 'sidecar-first: --format is "xml"; use table, json, mermaid, sarif, junit or github'],
    [['check', '-o', 'xml', 'x'], 'sidecar-first: --format is "xml"; use table, json, mermaid, sarif, junit or github'],
    [['check', '--frobnicate', 'x'], 'sidecar-first: unknown option "--frobnicate"'],
    [['check', '-x', 'x'], 'sidecar-first: unknown option "-x"'],
    [['check', '--require-ready=yes', 'x'], 'sidecar-first: --require-ready takes no value'],
    [['check', '--fail-on', 'info', 'x'], 'sidecar-first: --fail-on is "info"; use error, warning or none'],
    [['check', '--max-document-mib', '0', 'x'], 'sidecar-first: --max-document-mib is "0"; give a whole number of MiB from 1 to 512'],
    [['lint', 'x'], 'sidecar-first: unknown command "lint"'],
    [['check', '--kubernetes-version'], 'sidecar-first: --kubernetes-version needs a value'],
    [['check', '--kubernetes-version', 'next', 'x'], 'sidecar-first: --kubernetes-version is "next", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'],
    // The options are checked in the order the usage lists them, before the PATH.
    [['check', '--kubernetes-version', 'next'], 'sidecar-first: --kubernetes-version is "next", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'],
    [['observe', '--kubernetes-version', 'next'], 'sidecar-first: --kubernetes-version is "next", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'],
    [['check', '--max-document-mib', '0', '--kubernetes-version', 'next', 'x'], 'sidecar-first: --kubernetes-version is "next", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'],
  ])('bad usage %j exits 2', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe(message);
  });

  test('no command, or check without a PATH: a reason and the usage on standard error (the commands\', or check\'s), exit 2', async () => {
    // The usage without a command lists the commands since there can be several (check, and more to come).
    for (const [argv, reason, usage] of [
      [[], 'no command given', 'Usage: sidecar-first COMMAND [options]'],
      [['lint'], 'unknown command "lint"', 'Usage: sidecar-first COMMAND [options]'],
      [['check'], 'check needs a PATH (a file, a directory or - for standard input)', 'Usage: sidecar-first check [options] PATH...'],
    ] as const) {
      const result = await run([...argv]);
      expect([result.code, result.stdout, result.stderr.split('\n').slice(0, 3)]).toEqual([2, '', [`sidecar-first: ${reason}`, '', usage]]);
    }
  });

  test('--help lists the commands; check --help (and -h) gives check\'s usage; both exit 0; --version prints the package version', async () => {
    // WHEN
    const help = await run(['--help']);
    const checkHelp = await run(['check', '--help']);
    const checkH = await run(['check', '-o', 'json', '-h']);

    // THEN
    expect([help.code, help.stdout.split('\n').slice(0, 4)]).toEqual([0, ['Usage: sidecar-first COMMAND [options]', '', 'Commands:',
      '  check    says whether each app waits for its sidecars to be ready (sidecar-first check --help)']]);
    expect([checkHelp.code, checkHelp.stdout.split('\n')[0], checkHelp.stderr]).toEqual([0, 'Usage: sidecar-first check [options] PATH...', '']);
    expect(checkH).toEqual(checkHelp);
    expect(checkHelp.stdout).toContain('-o, --format FORMAT           table, json, mermaid, sarif, junit, github (default: table);');
    const { version } = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
    expect(await run(['--version'])).toEqual({ code: 0, stdout: `sidecar-first ${version}\n`, stderr: '' });
    expect(await run(['check', '--version'])).toEqual({ code: 0, stdout: `sidecar-first ${version}\n`, stderr: '' });
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
  const SF1_FIX = 'Declare the sidecar with cdk8s-sidecar-first (SidecarFirstDeployment, SidecarFirst.attach or SidecarFirst.patch), or give it a startupProbe that checks what its readinessProbe checks (native sidecar) or a postStart hook that polls.';

  test('fails synth on an error (an app that does not wait); one violation per finding ID', async () => {
    // GIVEN
    const dir = tree({ 'ok.k8s.yaml': NATIVE, 'bad.k8s.yaml': UNGATED });
    const ctx = context([path.join(dir, 'ok.k8s.yaml'), path.join(dir, 'bad.k8s.yaml')]);

    // WHEN
    await new SidecarFirstValidation({ kubernetesVersion: '1.30' }).validate(ctx);

    // THEN
    expect(ctx.result()).toEqual({
      status: 'failure',
      violations: [{
        ruleName: 'sidecar-first SF102 (error)',
        recommendation: 'only a readinessProbe: it does not delay the app',
        fix: SF1_FIX,
        violatingResources: [{ resourceName: 'blog-post', manifestPath: path.join(dir, 'bad.k8s.yaml'), locations: ['Pod blog-post: sidecar "proxy": readinessProbe does not delay the app'] }],
      }],
    });
  });

  test('shows warnings (a 10 s startup period) and passes when there is no error', async () => {
    // GIVEN
    const dir = tree({ 'slow.k8s.yaml': NATIVE.replace('periodSeconds: 1', 'periodSeconds: 10') });
    const ctx = context([path.join(dir, 'slow.k8s.yaml')]);

    // WHEN
    await new SidecarFirstValidation({ kubernetesVersion: '1.30' }).validate(ctx);

    // THEN
    expect(ctx.result()).toEqual({
      status: 'success',
      violations: [{
        ruleName: 'sidecar-first SF113 (warning)',
        recommendation: 'a startupProbe period above 1 s adds up to that much to every start',
        fix: SF1_FIX,
        violatingResources: [{ resourceName: 'myapp', manifestPath: path.join(dir, 'slow.k8s.yaml'), locations: ['Deployment myapp: sidecar "nginx": startupProbe periodSeconds 10 adds up to 10 s to every start'] }],
      }],
    });
  });

  test('passes with nothing to say when every app waits on the version given', async () => {
    const dir = tree({ 'ok.k8s.yaml': NATIVE });
    const ok = context([path.join(dir, 'ok.k8s.yaml')]);
    await new SidecarFirstValidation({ kubernetesVersion: '1.30' }).validate(ok);
    expect(ok.result()).toEqual({ status: 'success', violations: [] });
  });

  test('the version from cdk8s.yaml decides: native sidecars on 1.28 fail synth', async () => {
    const dir = tree({ 'ok.k8s.yaml': NATIVE });
    const old = context([path.join(dir, 'ok.k8s.yaml')]);
    await new SidecarFirstValidation({ kubernetesVersion: '1.28' }).validate(old);
    expect(old.result()).toEqual({ status: 'failure', violations: [expect.objectContaining({ ruleName: 'sidecar-first SF201 (error)' })] });
  });
});
