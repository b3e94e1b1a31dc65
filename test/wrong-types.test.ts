/**
 * JavaScript callers get no type checking. Every public entry point, fed a
 * value of the wrong type in any one place, must give either valid output or
 * the library's located error (made by src/private/errors.ts, which records
 * each one; at synthesis cdk8s wraps them in "Validation failed with the
 * following errors"), or cdk8s-plus's own rule as cdk8s reports it at the
 * construct's path; never a raw TypeError, RangeError or an error that does
 * not say where.
 */
import { Chart, Cron, Duration, Testing } from 'cdk8s';
import * as kplus34 from 'cdk8s-plus-34';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  HttpScheme, ReadinessCheck, SidecarAnalyzer, SidecarFirst, SidecarFirstCronJob, SidecarFirstDaemonSet, SidecarFirstDeployment, SidecarFirstJob,
  SidecarFirstPod, SidecarFirstStatefulSet, SidecarFirstValidation, SidecarProps, StartupGate,
} from '../src';
import { podSpecOf } from './support/manifests';
import { isLibraryError } from '../src/private/errors';
import { apiViolations } from '../src/private/rules/kubelet-rules';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Values of every wrong type. */
const WRONG: unknown[] = [
  null, undefined, NaN, Infinity, -Infinity, 0, -1, 1.5, 70000, 2 ** 31, '', ' ', 'x', 'POST_START', true,
  {}, { a: 1 }, [], [null], [undefined], ['x'], [1], [{}], () => 1, Duration.seconds(NaN), Duration.millis(0.5),
];
const wrong = fc.constantFrom(...WRONG);

const APP = { name: 'app', image: 'my/app:1', portNumber: 8080 };
const SIDECAR: SidecarProps = { name: 'proxy', image: 'envoyproxy/envoy:v1.31', portNumber: 9901, readinessCheck: ReadinessCheck.tcpSocket() };

/** Every field a sidecar declaration may have: the library's own and cdk8s-plus's ContainerProps. */
const SIDECAR_FIELDS = [
  'name', 'image', 'readinessCheck', 'startupTimeout', 'dependsOn', 'drainTime', 'jobExit', 'appVolumeMounts',
  'portNumber', 'port', 'ports', 'volumeMounts', 'resources', 'envVariables', 'envFrom', 'command', 'args', 'workingDir',
  'securityContext', 'imagePullPolicy', 'lifecycle', 'readiness', 'liveness', 'startup', 'restartPolicy', 'terminationMessagePath',
];
const OPTION_FIELDS = ['sidecars', 'dependentInitContainers', 'kubernetesVersion', 'startupGate', 'pollInterval', 'waitToolImage'];

/** Each SidecarFirst* construct, with valid props of its own. */
const CONSTRUCTS: Array<(c: Construct, props: any) => unknown> = [
  (c, p) => new SidecarFirstDeployment(c, 'w', p),
  (c, p) => new SidecarFirstStatefulSet(c, 'w', p),
  (c, p) => new SidecarFirstDaemonSet(c, 'w', p),
  (c, p) => new SidecarFirstJob(c, 'w', p),
  (c, p) => new SidecarFirstCronJob(c, 'w', { schedule: Cron.daily(), ...p }),
  (c, p) => new SidecarFirstPod(c, 'w', p),
];

/** Readiness checks built with one wrong argument or option. */
const CHECKS: Array<(v: any) => ReadinessCheck> = [
  v => ReadinessCheck.httpGet(v),
  v => ReadinessCheck.httpGet('/', v),
  v => ReadinessCheck.httpGet('/', { port: v }),
  v => ReadinessCheck.httpGet('/', { scheme: v }),
  v => ReadinessCheck.httpGet('/', { host: v }),
  v => ReadinessCheck.httpGet('/', { headers: v }),
  v => ReadinessCheck.httpGet('/', { headers: { 'X-A': v } }),
  v => ReadinessCheck.httpGet('/', { scheme: HttpScheme.HTTPS, port: 8443, host: v }),
  v => ReadinessCheck.tcpSocket(v),
  v => ReadinessCheck.tcpSocket({ port: v }),
  v => ReadinessCheck.command(v),
  v => ReadinessCheck.command(['true', v]),
  v => ReadinessCheck.grpc(v),
  v => ReadinessCheck.grpc({ port: v }),
  v => ReadinessCheck.grpc({ service: v, grpcHealthProbe: '/bin/grpc_health_probe' }),
  v => ReadinessCheck.grpc({ grpcHealthProbe: v }),
];

/**
 * Runs `declare` and synthesizes `chart`: valid output (every pod one the API
 * server accepts), or the library's located error.
 */
function validOrLocated(chart: Chart, declare: () => void): void {
  let docs: any[];
  try {
    declare();
    docs = Testing.synth(chart);
  } catch (e) {
    expectLocated(e);
    outcomes.located++;
    return;
  }
  outcomes.valid++;
  for (const spec of docs.map(podSpecOf).filter(s => s !== undefined)) {
    expect(apiViolations(spec!)).toEqual([]);
  }
}

function expectLocated(e: unknown): void {
  const located = isLibraryError(e)
    // cdk8s's wrapper of validation errors, each line "[construct path] message"
    || (e instanceof Error && e.constructor === Error && /^Validation failed with the following errors:\n( {2}\[[^\]]*\] \S.*\n?)+$/.test(e.message))
    // cdk8s-plus's own rules, checked when cdk8s serializes the construct at its path (a pod without containers)
    || (e instanceof Error && e.constructor === Error && /^Failed serializing construct at path '[^']+' with name '[^']+': Error: /.test(e.message));
  if (!located) {
    throw new Error(`not the library's located error: ${e instanceof Error ? `${e.constructor.name}: ${e.message}\n${e.stack}` : String(e)}`);
  }
}

const newChart = () => new Chart(Testing.app(), 'test');

/** How the runs of a test ended: a property that never reaches one of the two is not testing it. */
let outcomes = { valid: 0, located: 0 };
beforeEach(() => {
  outcomes = { valid: 0, located: 0 };
});
function expectBothOutcomes(): void {
  expect(outcomes.valid).toBeGreaterThan(0);
  expect(outcomes.located).toBeGreaterThan(0);
}

describe('no entry point throws anything but the library\'s located error', () => {
  test('SidecarFirst* constructs: the props, or one option, of the wrong type', () => {
    fc.assert(fc.property(fc.nat(CONSTRUCTS.length - 1), fc.constantFrom('(props)', ...OPTION_FIELDS), wrong, (kind, field, value) => {
      const chart = newChart();
      const props = field === '(props)' ? value : { containers: [APP], startupGate: StartupGate.POST_START, sidecars: [{ ...SIDECAR, jobExit: 'exits' }], [field]: value };
      validOrLocated(chart, () => CONSTRUCTS[kind](chart, props));
    }), { numRuns: 400 });
    expectBothOutcomes();
  });

  test('a sidecar with one field of the wrong type, under either gate, declared in props or with addSidecar()', () => {
    fc.assert(fc.property(
      fc.constantFrom(...SIDECAR_FIELDS), wrong, fc.constantFrom(StartupGate.STARTUP_PROBE, StartupGate.POST_START), fc.boolean(),
      (field, value, startupGate, later) => {
        const chart = newChart();
        const sidecar = { ...SIDECAR, [field]: value };
        validOrLocated(chart, () => {
          const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], startupGate, sidecars: later ? [] : [sidecar as SidecarProps] });
          if (later) {
            web.addSidecar(sidecar as SidecarProps);
          }
        });
      },
    ), { numRuns: 600 });
    expectBothOutcomes();
  });

  test('a readiness check built with one argument or option of the wrong type', () => {
    const gate = fc.constantFrom(StartupGate.STARTUP_PROBE, StartupGate.POST_START);
    fc.assert(fc.property(fc.nat(CHECKS.length - 1), wrong, gate, (i, value, startupGate) => {
      const chart = newChart();
      validOrLocated(chart, () => {
        new SidecarFirstDeployment(chart, 'web', { containers: [APP], startupGate, sidecars: [{ ...SIDECAR, readinessCheck: CHECKS[i](value) }] });
      });
    }), { numRuns: 400 });
    expectBothOutcomes();
  });

  test('addSidecar(), addDependentInitContainer() and their fields', () => {
    fc.assert(fc.property(fc.constantFrom('(whole)', 'name', 'image', 'needs', 'portNumber', 'volumeMounts', 'readiness'), wrong, (field, value) => {
      const chart = newChart();
      validOrLocated(chart, () => {
        const web = new SidecarFirstDeployment(chart, 'web', { containers: [APP], sidecars: [SIDECAR] });
        const init = field === '(whole)' ? value : { name: 'migrate', image: 'migrations:3', needs: ['proxy'], [field]: value };
        web.addDependentInitContainer(init as any);
        if (field === '(whole)') {
          web.addSidecar(value as any);
        }
      });
    }), { numRuns: 300 });
    expectBothOutcomes();
  });

  test('SidecarFirst.attach() and patch(): the workload, the options or one option of the wrong type', () => {
    fc.assert(fc.property(fc.constantFrom('(workload)', '(apiObject)', '(options)', ...OPTION_FIELDS), wrong, (field, value) => {
      const chart = newChart();
      validOrLocated(chart, () => {
        const web = new kplus34.Deployment(chart, 'web', { containers: [APP] });
        const options = field === '(options)' ? value : { sidecars: [SIDECAR], [field]: value };
        if (field === '(workload)') {
          SidecarFirst.attach(value as any, { sidecars: [SIDECAR] });
        } else if (field === '(apiObject)') {
          SidecarFirst.patch(value as any, { sidecars: [SIDECAR] });
        } else {
          SidecarFirst.attach(web, options as any);
        }
      });
    }), { numRuns: 300 });
    expectBothOutcomes();
  });

  test('SidecarAnalyzer: documents, pod spec or options of the wrong type', () => {
    fc.assert(fc.property(fc.constantFrom('documents', 'document', 'spec', 'options', 'sidecars', 'kubernetesVersion'), wrong, (field, value) => {
      try {
        if (field === 'documents') {
          SidecarAnalyzer.analyzeManifests(value as any);
        } else if (field === 'document') {
          SidecarAnalyzer.analyzeManifests([value, { kind: 'Pod', metadata: { name: 'p' }, spec: value }]);
        } else if (field === 'spec') {
          SidecarAnalyzer.analyzePodSpec(value);
        } else {
          const options = field === 'options' ? value : { [field]: value };
          SidecarAnalyzer.analyzeManifests([], options as any);
          SidecarAnalyzer.analyzePodSpec({ containers: [{ name: 'app' }] }, options as any);
        }
      } catch (e) {
        expectLocated(e);
      }
    }), { numRuns: 300 });
  });

  test('SidecarFirstValidation: properties of the wrong type report a violation, never throw', async () => {
    for (const props of [...WRONG, ...WRONG.map(v => ({ kubernetesVersion: v })), ...WRONG.map(v => ({ sidecars: v }))]) {
      let status: string | undefined;
      const report = { addViolation: () => undefined, submit: (s: string) => (status = s) };
      await new SidecarFirstValidation(props as any).validate({ manifests: [], report });
      expect(status).toBeDefined();
    }
  });

  test('the check is not vacuous: a TypeError would be caught', () => {
    expect(() => expectLocated(new TypeError('x is not a function'))).toThrow(/^not the library's located error: TypeError: x is not a function/);
    expect(() => expectLocated(new Error('Validation failed with the following errors:\n  boom'))).toThrow(/^not the library's located error/);
    expect(() => expectLocated('boom')).toThrow(/^not the library's located error: boom/);
    expect(() => expectLocated(new Error('Failed serializing construct at path \'test/w/Resource\' with name \'w\': TypeError: x is not a function'))).toThrow(/^not the library's located error/);
  });
});
