/**
 * What the user can decide: ignoring findings (annotation, --ignore, the
 * settings file), what fails (--fail-on, --require-ready), and the settings
 * file `.sidecar-first.yaml`, checked by the same function as the validation
 * plugin's properties.
 */
import * as fs from 'fs';
import * as path from 'path';
import { SidecarFirstValidation } from '../src';
import { NATIVE, run, tree, UNGATED } from './support/cli-run';

/* eslint-disable @typescript-eslint/no-explicit-any */

const SLOW = NATIVE.replace('periodSeconds: 1', 'periodSeconds: 10');
const withAnnotation = (text: string, value: string, on: 'workload' | 'template') => (on === 'workload'
  ? text.replace(/^metadata:\n  name: (.*)$/m, `metadata:\n  name: $1\n  annotations:\n    sidecar-first.dev/ignore: ${JSON.stringify(value)}`)
  : text.replace('  template:\n    spec:', `  template:\n    metadata:\n      annotations:\n        sidecar-first.dev/ignore: ${JSON.stringify(value)}\n    spec:`));

describe('ignoring findings', () => {
  test('the annotation on a workload, with a reason: the finding is shown as ignored and counted, --require-ready and --fail-on pass', async () => {
    // GIVEN
    const pod = withAnnotation(UNGATED, 'SF102: the proxy serves no traffic', 'workload');

    // WHEN
    const result = await run(['check', '--kubernetes-version', '1.30', '--require-ready', '--fail-on', 'error', '-'], pod);

    // THEN
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        '<stdin>:1  Pod demo/blog-post',
        '  SIDECAR  PLACEMENT  GATE  STARTS BEFORE APP  APP WAITS FOR READY  IF CHECK NEVER PASSES',
        '  proxy    native     none  in-parallel        NO                   app-runs-sidecar-not-ready',
        '    - SF102 error (ignored by annotation: the proxy serves no traffic): readinessProbe does not delay the app',
        '',
        '1 workload, 1 sidecar: 0 held until ready, 1 not; 1 finding ignored',
        '',
      ].join('\n'),
    });
  });

  test('the annotation on the pod template, several IDs and no reason; JSON carries `ignored` and the summary counts it', async () => {
    // GIVEN
    const deployment = withAnnotation(SLOW, 'SF113, SF200', 'template');

    // WHEN
    const result = await run(['check', '-o', 'json', '--fail-on', 'warning', '-'], deployment);

    // THEN
    const { workloads, summary } = JSON.parse(result.stdout);
    expect([result.code, workloads[0].sidecars[0].findings.map((f: any) => [f.id, f.ignored]), summary]).toEqual([0, [
      ['SF200', { by: 'annotation' }],
      ['SF113', { by: 'annotation' }],
    ], { workloads: 1, sidecars: 1, heldUntilReady: 1, notHeld: 0, findings: 2, ignored: 2 }]);
  });

  test('--ignore, repeated and as a comma list, ignores everywhere; an unknown ID in it or in an annotation is a warning on standard error', async () => {
    // GIVEN
    const text = `${SLOW}---\n${withAnnotation(UNGATED, 'SF102,SF999', 'workload')}`;

    // WHEN
    const result = await run(['check', '-o', 'json', '--ignore', 'SF113,SF888', '--ignore', 'SF200', '--fail-on', 'warning', '-'], text);

    // THEN
    const findings = JSON.parse(result.stdout).workloads
      .flatMap((w: any) => w.sidecars.flatMap((s: any) => s.findings.map((f: any) => [f.id, f.ignored?.by])));
    expect(findings).toEqual([['SF200', 'settings'], ['SF113', 'settings'], ['SF200', 'settings'], ['SF102', 'annotation']]);
    expect([result.code, result.stderr.split('\n')]).toEqual([0, [
      'sidecar-first: warning: --ignore names "SF888", which is not a finding ID (see docs/cli.md, section Findings)',
      'sidecar-first: warning: <stdin>:17: Pod "blog-post": annotation sidecar-first.dev/ignore names "SF999", which is not a finding ID',
      '',
    ]]);
  });
});

describe('--fail-on and --require-ready', () => {
  test.each<[string, string[], number]>([
    ['a warning, by default', [], 0],
    ['a warning, --fail-on error', ['--fail-on', 'error'], 0],
    ['a warning, --fail-on warning', ['--fail-on', 'warning'], 1],
    ['a warning, --fail-on warning, ignored', ['--fail-on', 'warning', '--ignore', 'SF113'], 0],
    ['a warning, --require-ready (every app waits)', ['--require-ready'], 0],
  ])('%s: exit %#', async (_case, options, code) => {
    expect((await run(['check', '--kubernetes-version', '1.30', ...options, '-'], SLOW)).code).toBe(code);
  });

  test.each<[string, string[], number]>([
    ['an app that does not wait, by default', [], 0],
    ['an app that does not wait, --fail-on error', ['--fail-on', 'error'], 1],
    ['an app that does not wait, --require-ready', ['--require-ready'], 1],
    ['an app that does not wait, --require-ready --fail-on none', ['--require-ready', '--fail-on', 'none'], 1],
    ['an app that does not wait, its error ignored, --require-ready --fail-on error', ['--require-ready', '--fail-on', 'error', '--ignore', 'SF102'], 0],
  ])('%s: exit %#', async (_case, options, code) => {
    expect((await run(['check', '--kubernetes-version', '1.30', ...options, '-'], UNGATED)).code).toBe(code);
  });
});

describe('.sidecar-first.yaml', () => {
  test('found by walking up from the working directory: its version, sidecars, images, ignored IDs and failOn apply; options add to it', async () => {
    // GIVEN
    const dir = tree({
      '.sidecar-first.yaml': 'kubernetesVersion: "1.28"\nsidecars: [shipper]\nsidecarImages: ["*/fluent-bit:*"]\nignore: [SF104]\nfailOn: error\n',
      'deep/er/.keep': '',
      'pod.yaml': 'kind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - { name: shipper, image: s }\n    - { name: logs, image: docker.io/fluent/fluent-bit:3.0 }\n    - { name: app, image: a }\n',
    });

    // WHEN
    const result = await run(['check', '-o', 'json', path.join(dir, 'pod.yaml'), path.join(dir, 'pod.yaml')], '', 65536, path.join(dir, 'deep', 'er'));
    const native = await run(['check', '--sidecar', 'nginx', '-'], NATIVE, 65536, path.join(dir, 'deep'));

    // THEN both sidecars found, their SF104 ignored, nothing fails on 1.28 ...
    const [workload] = JSON.parse(result.stdout).workloads;
    expect([result.code, workload.sidecars.map((s: any) => [s.name, s.findings.map((f: any) => [f.id, f.ignored?.by])])]).toEqual([0, [
      ['shipper', [['SF104', 'settings']]],
      ['logs', [['SF104', 'settings']]],
    ]]);
    // ... but a native sidecar on 1.28 is an error, and failOn: error exits 1
    expect([native.code, native.stdout.split('\n')[3]]).toEqual([1, '    - SF201 error: native sidecars need Kubernetes 1.29+: on 1.28 the API server drops restartPolicy, so this init container must exit before the app starts '
      + '(the pod is rejected if it has probes or hooks, else it stays in Init)']);
  });

  test('--sidecar-image on the command line adds to the settings\' sidecarImages', async () => {
    // GIVEN
    const dir = tree({ '.sidecar-first.yaml': 'sidecarImages: ["*/fluent-bit:*"]\n' });
    const pod = 'kind: Pod\nmetadata: { name: p }\nspec:\n  containers:\n    - { name: logs, image: docker.io/fluent/fluent-bit:3.0 }\n'
      + '    - { name: vault, image: hashicorp/vault:1.17 }\n    - { name: app, image: a }\n';

    // WHEN
    const result = await run(['check', '-o', 'json', '--sidecar-image', 'hashicorp/vault:*', '-'], pod, 65536, dir);

    // THEN
    expect(JSON.parse(result.stdout).workloads[0].sidecars.map((s: any) => s.name)).toEqual(['logs', 'vault']);
  });

  test('--config FILE names it; --kubernetes-version and --fail-on replace its values', async () => {
    // GIVEN
    const dir = tree({ 'ci/settings.yaml': 'kubernetesVersion: "1.28"\nfailOn: error\n' });

    // WHEN
    const result = await run(['check', '--config', path.join(dir, 'ci/settings.yaml'), '--kubernetes-version', '1.30', '--fail-on', 'none', '-'], UNGATED, 65536, '/');

    // THEN
    expect(result.code).toBe(0);
  });

  test.each<[string, string, string]>([
    ['an unknown key', 'kubernetesVersion: "1.30"\nkubernetesVerison: "1.29"\n',
      '2:1: "kubernetesVerison" is not a setting: the settings are kubernetesVersion, sidecars, sidecarImages, ignore, failOn'],
    ['an unquoted version (YAML reads 1.30 as the number 1.3)', 'kubernetesVersion: 1.30\n',
      '1:20: kubernetesVersion is 1.3, which is not a Kubernetes version (quote it: kubernetesVersion: "1.29"; or "v1.28.3", "1.28.3-eks-abc")'],
    ['a version that is none', 'kubernetesVersion: latest\n',
      '1:20: kubernetesVersion is "latest", which is not a Kubernetes version (quote it: kubernetesVersion: "1.29"; or "v1.28.3", "1.28.3-eks-abc")'],
    ['sidecars as one name', '# comment\nsidecars: proxy\n', '2:11: sidecars is "proxy", which is not a list of container names (e.g. sidecars: [proxy])'],
    ['an image pattern that is not a string', 'sidecarImages:\n  - "a/*"\n  - { b: 1 }\n',
      '3:5: sidecarImages is ["a/*",{"b":1}], which is not a list of image patterns (e.g. sidecarImages: ["*/fluent-bit:*"])'],
    ['a bad failOn', 'failOn: always\n', '1:9: failOn is "always"; use error, warning or none'],
    ['a list, not a map', '- kubernetesVersion: "1.29"\n', '1:1: the settings are [{"kubernetesVersion":"1.29"}], which is not a map (e.g. kubernetesVersion: "1.29")'],
    ['bad YAML', 'ignore: [SF113\n', '2:1: Flow sequence in block collection must be sufficiently indented and end with a ]'],
    ['aliases that expand without end', 'a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n'
      + 'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
    '1:1: Excessive alias count indicates a resource exhaustion attack'],
  ])('%s: file:line:col and exit 2', async (_case, text, message) => {
    // GIVEN
    const dir = tree({ '.sidecar-first.yaml': text });

    // WHEN
    const result = await run(['check', '-'], NATIVE, 65536, dir);

    // THEN
    expect(result).toEqual({ code: 2, stdout: '', stderr: `sidecar-first: ${path.join(dir, '.sidecar-first.yaml')}:${message}\n` });
  });

  test('an unknown ID in ignore is a warning at its line; a missing --config file is an error', async () => {
    // GIVEN
    const dir = tree({ '.sidecar-first.yaml': 'ignore:\n  - SF113\n  - SF1\n' });

    // WHEN
    const warned = await run(['check', '-'], NATIVE, 65536, dir);
    const missing = await run(['check', '--config', path.join(dir, 'nope.yaml'), '-'], NATIVE, 65536, dir);

    // THEN
    expect([warned.code, warned.stderr]).toEqual([0,
      `sidecar-first: warning: ${path.join(dir, '.sidecar-first.yaml')}:3:5: ignore names "SF1", which is not a finding ID (see docs/cli.md, section Findings)\n`]);
    expect(missing).toEqual({ code: 2, stdout: '', stderr: `sidecar-first: ${path.join(dir, 'nope.yaml')}: cannot read: no such file or directory\n` });
    expect(fs.existsSync(path.join(dir, 'nope.yaml'))).toBe(false);
  });
});

describe('the validation plugin takes the same settings', () => {
  function context(manifests: string[]) {
    const violations: any[] = [];
    let status: string | undefined;
    const report = { addViolation: (v: any) => violations.push(v), submit: (s: string) => (status = s) };
    return { manifests, report, result: () => ({ status, violations }) };
  }

  test('ignore: an ignored error passes synth, shown as ignored; failOn: warning fails on a warning; sidecarImages finds sidecars', async () => {
    // GIVEN
    const dir = tree({ 'bad.k8s.yaml': UNGATED, 'slow.k8s.yaml': SLOW });
    const ignored = context([path.join(dir, 'bad.k8s.yaml')]);
    const strict = context([path.join(dir, 'slow.k8s.yaml')]);

    // WHEN
    await new SidecarFirstValidation({ kubernetesVersion: '1.30', ignore: ['SF102'] }).validate(ignored);
    await new SidecarFirstValidation({ kubernetesVersion: '1.30', failOn: 'warning', sidecarImages: ['nginx'] }).validate(strict);

    // THEN
    expect(ignored.result()).toEqual({
      status: 'success',
      violations: [expect.objectContaining({
        ruleName: 'sidecar-first SF102 (error, ignored)',
        violatingResources: [expect.objectContaining({ locations: ['Pod blog-post: sidecar "proxy": readinessProbe does not delay the app (ignored by settings)'] })],
      })],
    });
    expect(strict.result()).toEqual({ status: 'failure', violations: [expect.objectContaining({ ruleName: 'sidecar-first SF113 (warning)' })] });
  });

  test('an unknown key is the same error as in .sidecar-first.yaml, naming cdk8s.yaml', async () => {
    const ctx = context([]);
    await new SidecarFirstValidation({ kubernetesVerison: '1.29' } as any).validate(ctx);
    expect(ctx.result().violations[0].recommendation).toBe(
      'cdk8s.yaml: validations: SidecarFirstValidation properties: "kubernetesVerison" is not a setting: the settings are kubernetesVersion, sidecars, sidecarImages, ignore, failOn');
  });
});
