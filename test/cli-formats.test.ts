/**
 * `sidecar-first check -o sarif|junit|github`, each checked by what consumes
 * it: the official SARIF 2.1.0 schema (ajv), the Jenkins JUnit schema
 * (xmllint --schema), and the runner's own parsing of workflow commands; and
 * names from a hostile manifest that must not break any of them.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { NATIVE, run, tree, UNGATED } from './support/cli-run';
import { workflowCommands } from './support/github-commands';
import { runs, testWith } from './support/tools';
import { printable } from '../src/cli/report-format';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SCHEMAS = path.join(__dirname, 'fixtures', 'schemas');
const FINDINGS_URL = 'https://github.com/cdk8s-sidecar-first/cdk8s-sidecar-first/blob/main/docs/cli.md#findings';
const XMLLINT = runs('xmllint', ['--version']);

/** UNGATED with its SF102 ignored by an annotation on the pod, with a reason. */
const IGNORED = UNGATED.replace('  namespace: demo\n', '  namespace: demo\n  annotations:\n    sidecar-first.dev/ignore: "SF102,SF200: the proxy is ready before any request"\n');

/** Names that try to end a property, a command or a line, add XML markup, and carry controls XML 1.0 cannot hold. */
const HOSTILE = {
  kind: 'Pod',
  metadata: {
    name: 'web,title=x::forged %0A\n::error file=a,line=1::forged',
    namespace: 'n:s',
    annotations: { 'sidecar-first.dev/ignore': 'SF200: a reason\r\n::warning::forged </x> & "q" \x01\ud800\uffff' },
  },
  spec: {
    initContainers: [{ name: 'px\r\n::error::forged</testcase><x a="\x1b[2J">&amp;', restartPolicy: 'Always', readinessProbe: { httpGet: { port: 1 } } }],
    containers: [{ name: 'app\x00\x0b\ud800', image: 'app' }],
  },
};

function sarifValidator() {
  // The schema's language pattern `^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$` is invalid with the u flag ajv 8 sets by default.
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'sarif-schema-2.1.0.json'), 'utf8')));
}

/** xmllint's verdict on `xml` against the JUnit schema: exit status and messages. */
function xmllint(xml: string, dir: string): { status: number | null; stderr: string } {
  const file = path.join(dir, 'report.xml');
  fs.writeFileSync(file, xml);
  const result = spawnSync('xmllint', ['--noout', '--schema', path.join(SCHEMAS, 'junit-10.xsd'), file], { encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr.replace(`${file} validates\n`, '') };
}

function xpath(xml: string, dir: string, expression: string): string {
  const file = path.join(dir, 'query.xml');
  fs.writeFileSync(file, xml);
  return execFileSync('xmllint', ['--xpath', expression, file], { encoding: 'utf8' }).replace(/\n$/, '');
}

describe('-o sarif', () => {
  test('valid SARIF 2.1.0: a rule per finding ID with help and link, results at relative file and line with a logical location, ignored ones suppressed', async () => {
    // GIVEN manifests in a checkout, run from its root
    const dir = tree({ 'k8s/native.yaml': NATIVE, 'k8s/blog.yaml': `${IGNORED}---\n${UNGATED.replace('blog-post', 'blog-2')}` });

    // WHEN
    const result = await run(['check', '-o', 'sarif', '--kubernetes-version', '1.30', path.join(dir, 'k8s')], '', 65536, dir);
    const log = JSON.parse(result.stdout);

    // THEN valid against the official schema
    const validate = sarifValidator();
    expect([result.code, result.stderr, validate(log), validate.errors ?? []]).toEqual([0, '', true, []]);
    const { tool, results, originalUriBaseIds } = log.runs[0];
    expect(log.version).toBe('2.1.0');
    expect(originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: `file://${dir}/` } });
    const sf102 = tool.driver.rules.find((r: any) => r.id === 'SF102');
    expect(sf102).toEqual(expect.objectContaining({
      id: 'SF102',
      shortDescription: { text: 'only a readinessProbe: it does not delay the app' },
      helpUri: FINDINGS_URL,
      defaultConfiguration: { level: 'error' },
    }));
    expect(sf102.help.text).toContain('Declare the sidecar with cdk8s-sidecar-first');
    const summary = (r: any) => [r.ruleId, tool.driver.rules[r.ruleIndex].id, r.level, r.locations[0].physicalLocation,
      r.locations[0].logicalLocations, r.suppressions];
    expect(results.map(summary))
      .toEqual([
        ['SF102', 'SF102', 'error', { artifactLocation: { uri: 'k8s/blog.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } },
          [{ name: 'proxy', fullyQualifiedName: 'Pod/demo/blog-post/proxy', kind: 'object' }],
          [{ kind: 'inSource', justification: 'the proxy is ready before any request' }]],
        ['SF102', 'SF102', 'error', { artifactLocation: { uri: 'k8s/blog.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: 17 } },
          [{ name: 'proxy', fullyQualifiedName: 'Pod/demo/blog-2/proxy', kind: 'object' }], undefined],
      ]);
    expect(results[1].message.text).toBe('Pod demo/blog-2, sidecar "proxy": readinessProbe does not delay the app');
  });

  test('no findings: a valid log with every rule and no result; standard input and files outside the directory get URIs too', async () => {
    // GIVEN
    const dir = tree({ 'a.yaml': NATIVE });
    const elsewhere = tree({ 'b c#.yaml': UNGATED });

    // WHEN
    const empty = await run(['check', '-o', 'sarif', '--kubernetes-version', '1.30', path.join(dir, 'a.yaml')], '', 65536, dir);
    const outside = await run(['check', '-o', 'sarif', path.join(elsewhere, 'b c#.yaml'), '-'], UNGATED, 65536, dir);

    // THEN
    const validate = sarifValidator();
    const log = JSON.parse(empty.stdout);
    expect([validate(log), log.runs[0].results, log.runs[0].tool.driver.rules.length]).toEqual([true, [], 28]);
    const uris = JSON.parse(outside.stdout).runs[0].results.map((r: any) => r.locations[0].physicalLocation.artifactLocation);
    expect(validate(JSON.parse(outside.stdout))).toBe(true);
    expect([...new Set(uris.map((u: any) => JSON.stringify(u)))].map(u => JSON.parse(u as string))).toEqual([
      { uri: `file://${elsewhere}/b%20c%23.yaml` },
      { uri: '%3Cstdin%3E' },
    ]);
  });
});

describe('-o junit', () => {
  testWith({ xmllint: XMLLINT })('valid against junit-10.xsd: a testsuite per file, a testcase per workload and sidecar, a failure per error, ignored ones skipped and counted', async () => {
    // GIVEN
    const dir = tree({ 'a.yaml': NATIVE, 'b.yaml': `${UNGATED}---\n${IGNORED.replace('blog-post', 'quiet')}` });

    // WHEN
    const result = await run(['check', '-o', 'junit', '--kubernetes-version', '1.30', path.join(dir, 'a.yaml'), path.join(dir, 'b.yaml')]);

    // THEN
    expect([result.code, result.stderr, xmllint(result.stdout, dir)]).toEqual([0, '', { status: 0, stderr: '' }]);
    expect(result.stdout).toBe([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="sidecar-first">',
      `  <testsuite name="${dir}/a.yaml" tests="2" failures="0" errors="0" skipped="0" file="${dir}/a.yaml">`,
      '    <properties>',
      '      <property name="ignored findings" value="0"/>',
      '    </properties>',
      `    <testcase classname="${dir}/a.yaml" name="Deployment myapp (line 1)"/>`,
      `    <testcase classname="${dir}/a.yaml" name="Deployment myapp (line 1) sidecar nginx"/>`,
      '  </testsuite>',
      `  <testsuite name="${dir}/b.yaml" tests="4" failures="1" errors="0" skipped="1" file="${dir}/b.yaml">`,
      '    <properties>',
      '      <property name="ignored findings" value="1"/>',
      '    </properties>',
      `    <testcase classname="${dir}/b.yaml" name="Pod demo/blog-post (line 1)"/>`,
      `    <testcase classname="${dir}/b.yaml" name="Pod demo/blog-post (line 1) sidecar proxy">`,
      '      <failure type="SF102" message="SF102: readinessProbe does not delay the app">SF102 error (rule R6): readinessProbe does not delay the app</failure>',
      '    </testcase>',
      `    <testcase classname="${dir}/b.yaml" name="Pod demo/quiet (line 15)"/>`,
      `    <testcase classname="${dir}/b.yaml" name="Pod demo/quiet (line 15) sidecar proxy">`,
      '      <skipped message="SF102 ignored by annotation: the proxy is ready before any request"/>',
      '      <system-out>SF102 error (ignored by annotation: the proxy is ready before any request): readinessProbe does not delay the app</system-out>',
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
      '',
    ].join('\n'));
  });

  testWith({ xmllint: XMLLINT })('--fail-on warning: each warning is a failure too, as it fails the run', async () => {
    // GIVEN a startupProbe of period 10 s: warnings only
    const slow = NATIVE.replace('periodSeconds: 1', 'periodSeconds: 10');

    // WHEN
    const quiet = await run(['check', '-o', 'junit', '-'], slow);
    const strict = await run(['check', '-o', 'junit', '--fail-on', 'warning', '-'], slow);

    // THEN
    const failures = (xmlText: string) => [...xmlText.matchAll(/<failure type="(SF\d+)"/g)].map(m => m[1]);
    expect([quiet.code, failures(quiet.stdout), quiet.stdout]).toEqual([0, [], expect.stringContaining('failures="0"')]);
    expect(quiet.stdout).toMatch(/\nSF113 warning: startupProbe periodSeconds 10 adds up to 10 s to every start<\/system-out>/);
    expect([strict.code, failures(strict.stdout)]).toEqual([1, ['SF113']]);
    expect(strict.stdout).toContain('tests="2" failures="1" errors="0" skipped="0"');
    expect(xmllint(strict.stdout, tree({}))).toEqual({ status: 0, stderr: '' });
  });

  testWith({ xmllint: XMLLINT })('no input document: an empty, valid report', async () => {
    const result = await run(['check', '-o', 'junit', '-'], 'kind: ConfigMap\n');
    expect([result.stdout, xmllint(result.stdout, tree({})).status]).toEqual(['<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="sidecar-first">\n</testsuites>\n', 0]);
  });
});

describe('-o github', () => {
  test('an annotation per finding that is not ignored, at the relative file and line, then a summary that counts the ignored', async () => {
    // GIVEN
    const dir = tree({ 'k8s/a.yaml': NATIVE.replace('periodSeconds: 1', 'periodSeconds: 5'), 'k8s/b.yaml': `${UNGATED}---\n${IGNORED}` });

    // WHEN
    const result = await run(['check', '-o', 'github', path.join(dir, 'k8s')], '', 65536, dir);

    // THEN
    expect([result.code, result.stderr]).toEqual([0, '']);
    expect(result.stdout.split('\n')).toEqual([
      '::notice file=k8s/a.yaml,line=1,title=SF200 Deployment myapp sidecar nginx::SF200 info: verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)',
      '::warning file=k8s/a.yaml,line=1,title=SF113 Deployment myapp sidecar nginx::SF113 warning: startupProbe periodSeconds 5 adds up to 5 s to every start',
      '::notice file=k8s/b.yaml,line=1,title=SF200 Pod demo/blog-post sidecar proxy::SF200 info: verdict for Kubernetes 1.29+: on 1.28 and older the API server drops restartPolicy and the app does not wait (SF201)',
      '::error file=k8s/b.yaml,line=1,title=SF102 Pod demo/blog-post sidecar proxy::SF102 error: readinessProbe does not delay the app',
      'sidecar-first: 3 workloads, 3 sidecars: 1 held until ready, 2 not; 6 findings, 2 ignored',
      '',
    ]);
  });
});

describe('hostile names break no format', () => {
  test('-o github: every name is data; the runner reads exactly our commands, with the names as written', async () => {
    // GIVEN a file name that is itself an attempt
    const dir = tree({ 'x,line=9::y%0A.yaml': JSON.stringify(HOSTILE) });

    // WHEN
    const result = await run(['check', '-o', 'github', dir], '', 65536, dir);
    const commands = workflowCommands(result.stdout);

    // THEN one line per finding plus the summary, and the runner's reading gives back the names
    const file = 'x,line=9::y%0A.yaml';
    const title = `Pod n:s/${HOSTILE.metadata.name} sidecar ${HOSTILE.spec.initContainers[0].name}`;
    expect(result.stdout.split('\n').length).toBe(commands.length + 2);
    expect(commands).toEqual([
      { command: 'error', properties: { file, line: '1', title: `SF102 ${title}` }, data: 'SF102 error: readinessProbe does not delay the app' },
    ]);
    expect(result.stdout.split('\n').filter(l => l.trimStart().startsWith('::')).length).toBe(1);
  });

  test('-o sarif: valid, and the names come back as written', async () => {
    const result = await run(['check', '-o', 'sarif', '-'], JSON.stringify(HOSTILE));
    const log = JSON.parse(result.stdout);
    expect(sarifValidator()(log)).toBe(true);
    const sidecar = HOSTILE.spec.initContainers[0].name;
    expect(log.runs[0].results.map((r: any) => [r.ruleId, r.locations[0].logicalLocations[0].name, r.suppressions?.[0].justification])).toEqual([
      ['SF200', sidecar, HOSTILE.metadata.annotations['sidecar-first.dev/ignore'].slice('SF200: '.length)],
      ['SF102', sidecar, undefined],
    ]);
    expect(log.runs[0].results[1].message.text).toBe(`Pod n:s/${HOSTILE.metadata.name}, sidecar "${HOSTILE.spec.initContainers[0].name}": readinessProbe does not delay the app`);
  });

  testWith({ xmllint: XMLLINT })('-o junit: valid XML 1.0 and valid against the schema; names escaped as printable text', async () => {
    // GIVEN
    const dir = tree({ 'a<b>&"c\'\x01.yaml': JSON.stringify(HOSTILE) });

    // WHEN
    const result = await run(['check', '-o', 'junit', dir]);

    // THEN
    expect(xmllint(result.stdout, dir)).toEqual({ status: 0, stderr: '' });
    expect(xpath(result.stdout, dir, 'string(//testcase[2]/@name)')).toBe(printable(`Pod n:s/${HOSTILE.metadata.name} (line 1) sidecar ${HOSTILE.spec.initContainers[0].name}`));
    expect(xpath(result.stdout, dir, 'string(//testsuite/@name)')).toBe(printable(path.join(dir, 'a<b>&"c\'\x01.yaml')));
    expect(xpath(result.stdout, dir, 'count(//testcase)')).toBe('2');
  });
});
