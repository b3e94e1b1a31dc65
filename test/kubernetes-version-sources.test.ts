import { Chart, Testing } from 'cdk8s';
import { ReadinessCheck, SidecarFirstDeployment, StartupGate } from '../src';

const APP = { name: 'app', image: 'my/app:1' };
const NGINX = { name: 'proxy', image: 'nginx:1.27', readinessCheck: ReadinessCheck.tcpSocket({ port: 80 }) };
const ENV = 'SIDECAR_FIRST_KUBERNETES_VERSION';
const CONTEXT = 'sidecar-first:kubernetesVersion';

/** The gate a deployment gets in a fresh app, given the context (set on the app first) and the prop. */
function gate(options: { context?: string; kubernetesVersion?: string } = {}): StartupGate {
  const app = Testing.app();
  if (options.context !== undefined) {
    app.node.setContext(CONTEXT, options.context);
  }
  return new SidecarFirstDeployment(new Chart(app, 'test'), 'web', { containers: [APP], sidecars: [NGINX], kubernetesVersion: options.kubernetesVersion }).startupGate;
}

describe('the Kubernetes version of a whole app: kubernetesVersion > context > SIDECAR_FIRST_KUBERNETES_VERSION', () => {
  const saved = process.env[ENV];
  afterEach(() => {
    if (saved === undefined) {
      delete process.env[ENV];
    } else {
      process.env[ENV] = saved;
    }
  });

  test.each<[string, string | undefined, { context?: string; kubernetesVersion?: string }, StartupGate]>([
    ['the environment variable alone', '1.28', {}, StartupGate.POST_START],
    ['the environment variable, a modern cluster', '1.29', {}, StartupGate.STARTUP_PROBE],
    ['an empty environment variable is unset', '', {}, StartupGate.STARTUP_PROBE],
    ['the context wins over the environment variable', '1.28', { context: '1.30' }, StartupGate.STARTUP_PROBE],
    ['the context alone', undefined, { context: '1.28' }, StartupGate.POST_START],
    ['kubernetesVersion wins over both', '1.28', { context: '1.28', kubernetesVersion: '1.31' }, StartupGate.STARTUP_PROBE],
  ])('%s', (_case, env, options, expected) => {
    // GIVEN
    if (env === undefined) {
      delete process.env[ENV];
    } else {
      process.env[ENV] = env;
    }

    // WHEN / THEN
    expect(gate(options)).toBe(expected);
  });

  test('a garbage version in the environment names the variable', () => {
    // GIVEN
    process.env[ENV] = 'latest';

    // WHEN / THEN
    expect(() => gate()).toThrow(new Error(
      'test/web: environment variable SIDECAR_FIRST_KUBERNETES_VERSION is "latest", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'));
  });

  test('the context must be set on the app before any chart is added (constructs\' rule, which the README repeats)', () => {
    // GIVEN
    const app = Testing.app();
    new Chart(app, 'shop');

    // WHEN / THEN
    expect(() => app.node.setContext(CONTEXT, '1.28')).toThrow(new Error('Cannot set context after children have been added: shop'));
  });
});
