/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * The admission policy (SidecarFirstAdmissionPolicy) on the real API servers
 * of the run (test/support/api-servers.ts), through the real kubectl: the
 * servers accept it; every example the library synthesizes is admitted; Deny,
 * Warn and Audit do what they say; a namespace outside the selector is
 * untouched; an edited ConfigMap takes effect; a pod of 100 + 100 containers
 * is judged within the runtime budget; and a differential over the corpus and
 * the generated shapes: the server's decision against `sidecar-first check`'s.
 */
import { spawnSync } from 'child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'fs';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { AdmissionAction, Severity, SidecarFirstAdmissionPolicy, SidecarFirstAdmissionPolicyProps } from '../src';
import { API_SERVER_VERSIONS, ApiServer, auditLogOf, runningApiServers } from './support/api-servers';
import { kubectl } from './support/server-dry-run';
import { readInputs } from '../src/analyzer/manifest-reader';
import { analyzeDocument } from '../src/analyzer/sidecar-analyzer';
import { REGRESSIONS } from './node/differential/regressions';
import { generateShapes, renderPod } from './node/differential/shapes';
import { parseKubernetesVersion } from '../src/private/rules/kubernetes-version';
import { podTemplatesOf } from '../src/private/rules/pod-template';

const servers = runningApiServers();
// Without servers (outside CI, not built) global-setup.ts printed why; under CI it failed the run.
const withServers = servers.length > 0 ? describe : describe.skip;
jest.setTimeout(240_000);

const LABEL = 'sidecar-first.dev/policy-test';
/** Pods really created get this suffix: a second run on the same servers creates new ones. */
const RUN = Date.now().toString(36);

/** The policy's objects, as the construct synthesizes them. */
function policyObjects(props: SidecarFirstAdmissionPolicyProps): any[] {
  const chart = new Chart(new App(), 'policy');
  new SidecarFirstAdmissionPolicy(chart, 'policy', props);
  return chart.toJson();
}

function run(server: ApiServer, args: string[], docs: any[] = []) {
  const result = kubectl(server, args, docs);
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function must(server: ApiServer, args: string[], docs: any[] = []): string {
  const result = run(server, args, docs);
  if (result.status !== 0) {
    throw new Error(`kubectl ${args.join(' ')} on ${server.version}: ${result.stderr}`);
  }
  return result.stdout;
}

/** A namespace with the test label (or none), and a policy bound to that label. */
function setUp(server: ApiServer, name: string, actions: AdmissionAction[], extra: Partial<SidecarFirstAdmissionPolicyProps> = {}): void {
  must(server, ['apply', '-f', '-'], [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name, labels: { [LABEL]: name } } }]);
  must(server, ['apply', '-f', '-'], policyObjects({ name, actions, namespaceLabels: { [LABEL]: name }, paramsNamespace: name, ...extra }));
}

const pod = (name: string, spec: any, annotations?: any): any => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, ...(annotations ? { annotations } : {}) }, spec,
});

/** A pod whose native sidecar has no startupProbe: SF104. */
const BAD = (name: string) => pod(name, { initContainers: [{ name: 'proxy', image: 'proxy', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'app' }] });
/** The policy's whole message for a native sidecar `sidecar` with no startupProbe. */
const sf104 = (sidecar: string) => `sidecar "${sidecar}": SF104 error: nothing holds the app back: no startupProbe and no postStart hook that waits. `
  + 'Fix: give it a startupProbe that checks what its readinessProbe checks (a native sidecar), or a postStart hook that polls until it is ready';
const SF104 = sf104('proxy');

/**
 * Dry-runs `docs` into `namespace` in one kubectl call: each document's denial (policy) or rejection (the server's
 * decoding or validation), and the output with the warnings. A document is admitted only when kubectl says it was
 * created: a decoding error (an unknown field under kubectl's strict field validation) names no object, so kubectl's
 * errors, one per document that was not created and in the documents' order, are matched to those documents in order.
 */
function dryRun(server: ApiServer, namespace: string, docs: any[]): { denied: Map<string, string>; rejected: Map<string, string>; output: string } {
  const result = run(server, ['create', '--dry-run=server', '-n', namespace, '-f', '-'], docs);
  const created = new Set([...result.stdout.matchAll(/^\S+\/(\S+) created \(server dry run\)$/gm)].map(m => m[1]));
  const failed = docs.map(d => d.metadata.name as string).filter(name => !created.has(name));
  // `Error from server (Forbidden): error when creating "STDIN": pods "c-3" is forbidden: ValidatingAdmissionPolicy 'n' with binding 'n' denied request: MESSAGE`,
  // `Error from server (BadRequest): error when creating "STDIN": Pod in version "v1" cannot be handled as a Pod: strict decoding error: ...`,
  // or, for a single document that is invalid, `The pods "c-3" is invalid: ...` (its causes may go on over more lines)
  const errors: string[] = [];
  for (const text of result.stderr.split('\n').filter(l => l !== '' && !l.startsWith('Warning: '))) {
    const start = /^(?:Error from server \(\w+\): error when creating "STDIN": |The )(.*)$/.exec(text);
    if (start) {
      errors.push(start[1]);
    } else if (errors.length > 0) {
      errors[errors.length - 1] += `\n${text}`;
    } else {
      throw new Error(`kube-apiserver ${server.version}: kubectl's output not understood: ${text}`);
    }
  }
  if (errors.length !== failed.length) {
    throw new Error(`kube-apiserver ${server.version}: ${failed.length} documents not created, ${errors.length} errors: ${result.stderr}`);
  }
  const denied = new Map<string, string>();
  const rejected = new Map<string, string>();
  failed.forEach((name, i) => {
    const named = /^\w+(?:\.\w+)* "([^"]+)" is (?:forbidden|invalid): /.exec(errors[i]);
    if (named && named[1] !== name) {
      throw new Error(`kube-apiserver ${server.version}: error ${i} names ${named[1]}, not ${name}: ${result.stderr}`);
    }
    const policy = /ValidatingAdmissionPolicy '[^']+' with binding '[^']+' denied request: (.*)$/.exec(errors[i]);
    (policy ? denied : rejected).set(name, policy ? policy[1] : named ? errors[i].slice(named[0].length) : errors[i]);
  });
  return { denied, rejected, output: result.stdout + result.stderr };
}

/** Until the server enforces a new policy (its informers see it within a second or two). */
function untilEnforced(server: ApiServer, namespace: string, probe: () => boolean): void {
  const deadline = Date.now() + 60_000;
  while (!probe()) {
    if (Date.now() > deadline) {
      throw new Error(`kube-apiserver ${server.version}: the policy in ${namespace} is not enforced after 60 s`);
    }
    spawnSync('sleep', ['0.5']);
  }
}

/** Every file of a directory tree. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap(f => {
    const full = path.join(dir, f);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

async function documentsOf(paths: string[]): Promise<any[]> {
  const docs: any[] = [];
  for await (const event of readInputs(paths, async function* () {}) as AsyncIterable<any>) {
    if ('document' in event) {
      docs.push(event.document.value);
    }
  }
  return docs;
}

/** Every pod template of `docs` as a Pod named `PREFIX-N`, with the template's annotations. */
function asPods(docs: any[], prefix: string): any[] {
  return docs.flatMap(doc => podTemplatesOf(doc)).map((t, i) => pod(`${prefix}-${i}`, t.spec, t.metadata?.annotations));
}

withServers('the admission policy on the real API server', () => {
  // A loop, not describe.each: without servers the table would be empty, which each refuses.
  for (const server of servers) {
    describe(`kube-apiserver ${server.version}`, () => {
      test('Deny rejects with the finding, the container and the fix; a namespace outside the selector is untouched', () => {
      // GIVEN a Deny policy bound to one labelled namespace, and a namespace without the label
        setUp(server, 'sf-deny', [AdmissionAction.DENY]);
        must(server, ['apply', '-f', '-'], [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'sf-outside' } }]);
        untilEnforced(server, 'sf-deny', () => dryRun(server, 'sf-deny', [BAD('probe')]).denied.size > 0);

        // WHEN a pod whose sidecar nothing holds back is created in each
        const inside = run(server, ['create', '-n', 'sf-deny', '-f', '-'], [BAD(`bad-${RUN}`)]);
        const outside = run(server, ['create', '-n', 'sf-outside', '-f', '-'], [BAD(`bad-${RUN}`)]);

        // THEN it is denied with check's words inside, and created with no word outside
        expect(inside.status).not.toBe(0);
        expect(inside.stderr).toContain(`denied request: ${SF104}`);
        expect(outside.status).toBe(0);
        expect(outside.stderr).toBe('');
      });

      test('Warn shows the warning in kubectl apply output and admits', () => {
      // GIVEN a Warn policy
        setUp(server, 'sf-warn', [AdmissionAction.WARN]);
        untilEnforced(server, 'sf-warn', () => dryRun(server, 'sf-warn', [BAD('probe')]).output.includes('Warning:'));

        // WHEN a bad pod is applied
        const applied = run(server, ['apply', '-n', 'sf-warn', '-f', '-'], [BAD(`bad-${RUN}`)]);

        // THEN kubectl prints the warning, and the pod exists
        expect(applied.status).toBe(0);
        expect(applied.stderr).toContain(`Warning: Validation failed for ValidatingAdmissionPolicy 'sf-warn' with binding 'sf-warn': ${SF104}`);
        expect(applied.stdout).toContain(`pod/bad-${RUN} created`);
      });

      test('Audit writes the finding into the audit log and admits', () => {
      // GIVEN an Audit policy
        setUp(server, 'sf-audit', [AdmissionAction.AUDIT]);
        const audited = (name: string) => readFileSync(auditLogOf(server), 'utf8').split('\n').filter(Boolean).map(l => JSON.parse(l))
          .find(e => e.objectRef?.namespace === 'sf-audit' && e.objectRef?.name === name && e.verb === 'create'
          && e.annotations?.['validation.policy.admission.k8s.io/validation_failure']);
        let attempt = 0;
        untilEnforced(server, 'sf-audit', () => {
          const name = `probe-${RUN}-${attempt++}`;
          must(server, ['create', '-n', 'sf-audit', '-f', '-'], [BAD(name)]);
          return audited(name) !== undefined;
        });

        // WHEN a bad pod is created
        const created = run(server, ['create', '-n', 'sf-audit', '-f', '-'], [BAD(`bad-${RUN}`)]);

        // THEN it is created, and its audit event carries the policy's finding
        expect(created.status).toBe(0);
        const failure = JSON.parse(audited(`bad-${RUN}`).annotations['validation.policy.admission.k8s.io/validation_failure']);
        expect(failure).toEqual([expect.objectContaining({ message: expect.stringContaining(SF104), policy: 'sf-audit', binding: 'sf-audit', validationActions: ['Audit'] })]);
      });

      test('a sidecar image added to the ConfigMap takes effect without re-applying the policy', () => {
      // GIVEN a Deny policy, and a pod whose helper's image it does not know
        setUp(server, 'sf-params', [AdmissionAction.DENY]);
        untilEnforced(server, 'sf-params', () => dryRun(server, 'sf-params', [BAD('probe')]).denied.size > 0);
        const helper = pod('helper', { containers: [{ name: 'helper', image: 'registry.example/my-org/helper:1.2' }, { name: 'app', image: 'app' }] });
        expect(dryRun(server, 'sf-params', [helper]).denied).toEqual(new Map());

        // WHEN the operator adds the image to the ConfigMap
        const configMap = JSON.parse(must(server, ['get', 'configmap', '-n', 'sf-params', 'sf-params-known-sidecars', '-o', 'json']));
        must(server, ['patch', 'configmap', '-n', 'sf-params', 'sf-params-known-sidecars', '--type', 'merge', '-p',
          JSON.stringify({ data: { images: `${configMap.data.images}\nmy-org/helper` } })]);

        // THEN the same pod is denied, naming the helper
        let message: string | undefined;
        untilEnforced(server, 'sf-params', () => (message = dryRun(server, 'sf-params', [helper]).denied.get('helper')) !== undefined);
        expect(message).toBe(sf104('helper'));
      });

      test('every example the library synthesizes is admitted with no warning in Deny mode, as a workload and as a Pod', async () => {
      // GIVEN a Deny policy on workloads and Pods, and examples/dist
        setUp(server, 'sf-examples', [AdmissionAction.DENY]);
        untilEnforced(server, 'sf-examples', () => dryRun(server, 'sf-examples', [BAD('probe')]).denied.size > 0);
        const docs = await documentsOf(files(path.join(__dirname, '..', 'examples', 'dist')));
        const workloads = docs.filter(d => podTemplatesOf(d).length > 0).map(d => ({ ...d, metadata: { ...d.metadata, namespace: undefined } }));
        const pods = asPods(docs, 'example');

        // WHEN they are created (dry run)
        const result = dryRun(server, 'sf-examples', [...workloads, ...pods]);

        // THEN nothing is denied or warned about
        expect(workloads.length).toBeGreaterThanOrEqual(7);
        expect(result.denied).toEqual(new Map());
        expect(result.output).not.toContain('Warning');
      });

      test('a pod of 100 containers and 100 init containers, every rule broken, is judged within the runtime budget', () => {
      // GIVEN a Deny policy, and pods of N native sidecars without a gate and N known sidecars after the app
        setUp(server, 'sf-cost', [AdmissionAction.DENY]);
        untilEnforced(server, 'sf-cost', () => dryRun(server, 'sf-cost', [BAD('probe')]).denied.size > 0);
        const big = (n: number) => pod(`big-${n}`, {
          initContainers: Array.from({ length: n }, (_, i) => ({ name: `native-${i}`, image: 'proxy', restartPolicy: 'Always', readinessProbe: { tcpSocket: { port: 80 } } })),
          containers: [{ name: 'app', image: 'app' }, ...Array.from({ length: n - 1 }, (_, i) => ({ name: `log-sidecar-${i}`, image: 'registry.example/istio/proxyv2:1.2' }))],
        });

        // WHEN the pod of 100 + 100 is created (dry run), then ever larger ones until one is over budget
        const verdict = (n: number) => dryRun(server, 'sf-cost', [big(n)]).denied.get(`big-${n}`) ?? 'admitted';
        const hundred = verdict(100);
        let largest = 100;
        let over: string | undefined;
        for (let n = 200; n <= 3200 && over === undefined; n *= 2) {
          const answer = verdict(n);
          if (/^sidecar "native-0": SF102 error: .* \(and \d+ more sidecars\)$/.test(answer)) {
            largest = n;
          } else {
            over = `${n} + ${n}: ${answer.slice(0, 200)}`;
          }
        }

        // THEN 100 + 100 is judged, every sidecar named, not a cost error
        expect(hundred).toMatch(/^sidecar "native-0": SF102 error: readinessProbe does not delay the app\. Fix: .* \(and 99 more sidecars\)$/);
        expect(hundred).not.toMatch(/cost|budget/i);
        // AND the figure docs/admission-policy.md gives (cost units, not time: the same on every machine)
        console.log(`kube-apiserver ${server.version}: judged within the runtime budget up to ${largest} + ${largest} containers${over ? `; ${over}` : ''}`);
        expect(largest).toBeGreaterThanOrEqual(400);
      });

      test('differential: the server\'s decision against check\'s verdict, over the corpus and the generated shapes', async () => {
      // GIVEN a Deny policy, every pod template of the corpus and the generated shapes as Pods
        setUp(server, 'sf-diff', [AdmissionAction.DENY]);
        untilEnforced(server, 'sf-diff', () => dryRun(server, 'sf-diff', [BAD('probe')]).denied.size > 0);
        const corpus = path.join(__dirname, 'fixtures', 'corpus');
        const corpusDocs = await documentsOf(files(corpus).filter(f => !/\.md$|expected\.json$/.test(f)));
        const shapes = [...REGRESSIONS, ...generateShapes(21, 150)].map(s => renderPod(s, 'standin'));
        const pods = [
          ...asPods(corpusDocs, 'corpus'),
          ...shapes.map((spec, i) => pod(`shape-${i}`, spec)),
          // The same shapes with their sidecars named by annotation, as check's --sidecar does: CEL sees the legacy ones too.
          ...shapes.map((spec, i) => pod(`named-${i}`, spec, { 'sidecar-first.dev/sidecars': [...spec.initContainers ?? [], ...spec.containers].map(c => c.name).filter(n => n !== 'app').join(',') })),
        ];
        const version = parseKubernetesVersion(server.version);
        // The Kubernetes website's native sidecar with container restart rules (restartPolicyRules), and whether the server knows the field.
        const watcher = pods.find(p => p.spec.initContainers?.some((c: any) => c.name === 'watcher-sidecar')).metadata.name;
        const knowsRestartRules = run(server, ['explain', 'pods.spec.initContainers.restartPolicyRules']).status === 0;

        // WHEN they are created (dry run) with the policy, and judged by check
        const result = dryRun(server, 'sf-diff', pods);

        // THEN a server that does not know restartPolicyRules refuses that pod when it decodes it (kubectl's strict field
        // validation), before admission: it is not admitted; one that knows the field denies it (no startupProbe)
        expect(knowsRestartRules ? result.denied.get(watcher) : result.rejected.get(watcher)).toEqual(knowsRestartRules
          ? sf104('watcher-sidecar')
          : 'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.initContainers[1].restartPolicyRules"');

        // THEN no pod check says waits is denied; each denial names a finding check reports for that sidecar, in check's words
        // (a denial names the first validation that fails: one finding ID); a miss is a pod check says does not wait, admitted
        const misses: { [id: string]: number } = {};
        let admittedWaiting = 0;
        let deniedNotWaiting = 0;
        let missed = 0;
        const missedPods: string[] = [];
        let rejected = 0;
        let noSidecar = 0;
        for (const p of pods) {
          if (result.rejected.has(p.metadata.name)) {
            rejected++;
            continue;
          }
          const [{ report }] = analyzeDocument(p, { named: [], images: [], ignore: [], version });
          if (report.sidecars.length === 0) {
            noSidecar++;
          }
          const errors = report.sidecars.flatMap(s => s.findings.filter(f => f.severity === Severity.ERROR).map(f => ({ ...f, sidecar: s.name })));
          const waits = report.sidecars.every(s => s.appWaitsForReady);
          const denial = result.denied.get(p.metadata.name);
          if (waits) {
            expect({ pod: p.metadata.name, denial }).toEqual({ pod: p.metadata.name, denial: undefined });
            admittedWaiting++;
            continue;
          }
          if (!denial) {
            missed++;
            missedPods.push(`${p.metadata.name}: ${errors.map(e => `${e.sidecar} ${e.id}`).join(', ')}`);
            for (const id of new Set(errors.map(e => e.id))) {
              misses[id] = (misses[id] ?? 0) + 1;
            }
            continue;
          }
          deniedNotWaiting++;
          const named = [...denial.matchAll(/sidecar "([^"]+)": (SF\d{3}) error: (.*?)\. Fix: /g)].map(m => ({ sidecar: m[1], id: m[2], words: m[3] }));
          expect(named.length).toBeGreaterThan(0);
          for (const n of named) {
            const same = errors.find(e => e.sidecar === n.sidecar && e.id === n.id);
            // SF109 quotes the command: check folds runs of blanks, CEL cannot (no regular-expression replace).
            const words = n.id === 'SF109' ? same?.message.replace(/"[^]*"/, '"..."') : same?.message;
            expect({ pod: p.metadata.name, ...n, words: n.id === 'SF109' ? n.words.replace(/"[^]*"/, '"..."') : n.words })
              .toEqual({ pod: p.metadata.name, ...n, words });
          }
        }
        console.log(`kube-apiserver ${server.version}: ${pods.length} pods (${rejected} rejected by validation, ${noSidecar} without sidecars); `
        + `${admittedWaiting} that wait, all admitted; ${deniedNotWaiting} that do not wait denied, ${missed} admitted (misses); `
        + `findings of the missed pods: ${JSON.stringify(Object.fromEntries(Object.entries(misses).sort()))}\n${missedPods.join('\n')}`);
        expect(deniedNotWaiting).toBeGreaterThan(0);
        expect(admittedWaiting).toBeGreaterThan(0);
        // The one miss docs/admission-policy.md lists: a sidecar recognised only by its polling hook (CEL cannot tell a loop).
        expect(missedPods).toEqual(['shape-97: s1 SF105, s1 SF102']);
      });
    });
  }

  for (const server of servers) {
    test(`kube-apiserver ${server.version} serves admissionregistration.k8s.io/v1 and writes the audit log`, () => {
    // GIVEN a server of the run (the oldest is 1.30, the first minor that serves v1: the construct refuses below)
    // WHEN asked for its API versions
      const versions = must(server, ['api-versions']).split('\n');
      // THEN v1 is served
      expect(versions).toContain('admissionregistration.k8s.io/v1');
      expect(existsSync(auditLogOf(server))).toBe(true);
    });
  }

  test('the oldest server of the run is 1.30', () => {
    expect(API_SERVER_VERSIONS.map(v => v.split('.').slice(0, 2).join('.'))).toContain('1.30');
  });
});
