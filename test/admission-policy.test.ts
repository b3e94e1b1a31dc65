/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * SidecarFirstAdmissionPolicy and `sidecar-first policy` without a server:
 * what they synthesize, and every error. test/admission-policy-server.test.ts
 * proves the policy on the real API servers.
 */
import { App, Chart, Testing, Yaml } from 'cdk8s';
import { AdmissionAction, SidecarFirstAdmissionPolicy } from '../src';
import { main } from '../src/cli/main';
import { KNOWN_SIDECARS } from '../src/private/rules/known-sidecars';
import { WAIT_MESSAGES } from '../src/private/rules/kubelet-rules';

function synth(props: any = {}): any[] {
  const chart = Testing.chart();
  new SidecarFirstAdmissionPolicy(chart, 'policy', props);
  return Testing.synth(chart);
}

async function cli(...argv: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const status = await main(argv, { stdout: t => (stdout += t), stderr: t => (stderr += t), stdin: async function* () {} });
  return { status, stdout, stderr };
}

describe('SidecarFirstAdmissionPolicy', () => {
  test('by default: a ConfigMap of the known sidecars, a policy on Pods and workloads, a Warn+Audit binding for every namespace', () => {
    // GIVEN no props
    // WHEN synthesized
    const [configMap, policy, binding] = synth();

    // THEN
    expect([configMap, policy, binding]).toMatchSnapshot();
    expect(configMap.metadata).toEqual({ name: 'sidecar-first-known-sidecars', namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'sidecar-first' } });
    expect(configMap.data.names.split('\n')).toEqual(KNOWN_SIDECARS.flatMap(k => k.names));
    expect(configMap.data.images.split('\n')).toContain('proxyv2');
    expect(policy.spec.matchConstraints.resourceRules.map((r: any) => r.resources).flat())
      .toEqual(['pods', 'deployments', 'statefulsets', 'daemonsets', 'replicasets', 'jobs', 'cronjobs']);
    expect(policy.spec.paramKind).toEqual({ apiVersion: 'v1', kind: 'ConfigMap' });
    expect(binding.spec).toEqual({
      policyName: 'sidecar-first',
      validationActions: ['Warn', 'Audit'],
      paramRef: { name: 'sidecar-first-known-sidecars', namespace: 'kube-system', parameterNotFoundAction: 'Deny' },
    });
  });

  test('Deny, a namespace selector, Pods only, own sidecars', () => {
    // GIVEN every prop
    // WHEN synthesized
    const [configMap, policy, binding] = synth({
      actions: [AdmissionAction.DENY, AdmissionAction.AUDIT],
      namespaceLabels: { team: 'shop' },
      matchWorkloads: false,
      name: 'sidecars',
      paramsNamespace: 'policies',
      sidecarNames: ['my-proxy'],
      sidecarImages: ['my-org/my-proxy'],
    });

    // THEN
    expect(binding.spec.validationActions).toEqual(['Deny', 'Audit']);
    expect(binding.spec.matchResources).toEqual({ namespaceSelector: { matchLabels: { team: 'shop' } } });
    expect(policy.spec.matchConstraints.resourceRules).toEqual([{ apiGroups: [''], apiVersions: ['v1'], operations: ['CREATE'], resources: ['pods'] }]);
    expect(configMap.metadata.namespace).toBe('policies');
    expect(configMap.data.names.split('\n')).toContain('my-proxy');
    expect(configMap.data.images.split('\n').slice(-1)).toEqual(['my-org/my-proxy']);
  });

  test('every validation is a finding ID, and its message is built from the analyzer\'s words', () => {
    // GIVEN the policy
    const [, policy] = synth();
    // WHEN its validations are read
    const ids = policy.spec.validations.map((v: any) => v.message.slice(0, 5));
    // THEN one per finding the CEL decides, each message from WAIT_MESSAGES
    expect(ids).toEqual(['SF101', 'SF102', 'SF103', 'SF104', 'SF105', 'SF107', 'SF108', 'SF106', 'SF109', 'SF111']);
    const cel = JSON.stringify(policy.spec.variables);
    expect(cel).toContain(WAIT_MESSAGES.SF104());
    expect(cel).toContain(WAIT_MESSAGES.SF106());
  });

  test.each([
    ['a version below 1.30', { kubernetesVersion: '1.29' },
      'test/policy: kubernetesVersion is 1.29, which does not serve admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy (GA in 1.30; v1beta1 in 1.28 and 1.29 is off unless the cluster enables it). Use the policy on clusters of 1.30 or later, and check older ones with `sidecar-first check` or the validation plugin'],
    ['not a version', { kubernetesVersion: 'latest' },
      'test/policy: kubernetesVersion is "latest", which is not a Kubernetes version. Give the oldest version of the API server and the kubelets, e.g. "1.29", "v1.28.3" or "1.28.3-eks-abc"'],
    ['Deny with Warn', { actions: [AdmissionAction.DENY, AdmissionAction.WARN] },
      'test/policy: actions is ["Deny","Warn"]: the API server rejects Deny with Warn (a denied request has no warnings to show). Give DENY (with AUDIT if you like), or WARN'],
    ['no action', { actions: [] }, 'test/policy: actions is empty. Give AdmissionAction.DENY, or WARN and/or AUDIT'],
    ['not an action', { actions: ['Block'] }, 'test/policy: actions holds "Block", which is not an AdmissionAction. Use AdmissionAction.DENY, WARN or AUDIT'],
    ['nothing matched', { matchPods: false, matchWorkloads: false },
      'test/policy: matchPods and matchWorkloads are both false: the policy would match nothing. Leave matchPods true (Pods are what the kubelet runs)'],
    ['a name that is not a DNS label', { name: 'Sidecar_First' },
      'test/policy: name is "Sidecar_First", which is not a DNS label of at most 48 characters. Use lower-case letters, digits and dashes'],
    ['a params namespace that is not a DNS label', { paramsNamespace: 'Kube_System' },
      'test/policy: paramsNamespace is "Kube_System", which is not a namespace name (a DNS label). Use lower-case letters, digits and dashes, at most 63'],
    ['a sidecar name no container could have', { sidecarNames: ['my-proxy', 'My Proxy'] },
      'test/policy: sidecarNames[1] is "My Proxy", which is not a container name (a DNS label): no container could have it. Give the name as the pod spec has it: lower-case letters, digits and dashes'],
    ['a sidecar image with a tag', { sidecarImages: ['my-org/my-proxy:1.2'] },
      'test/policy: sidecarImages[0] is "my-org/my-proxy:1.2", which is not an image repository (lower case, no pattern, tag or digest): no image would match it. Give the repository only, e.g. "my-org/my-proxy" for registry.example/my-org/my-proxy:1.2'],
    ['a sidecar image with a digest', { sidecarImages: ['registry.example:5000/proxy@sha256:abc'] },
      'test/policy: sidecarImages[0] is "registry.example:5000/proxy@sha256:abc", which is not an image repository (lower case, no pattern, tag or digest): no image would match it. Give the repository only, e.g. "my-org/my-proxy" for registry.example/my-org/my-proxy:1.2'],
    ['a sidecar image pattern (check\'s --sidecar-image takes them; the policy does not)', { sidecarImages: ['*/my-proxy'] },
      'test/policy: sidecarImages[0] is "*/my-proxy", which is not an image repository (lower case, no pattern, tag or digest): no image would match it. Give the repository only, e.g. "my-org/my-proxy" for registry.example/my-org/my-proxy:1.2'],
    ['an empty sidecar image', { sidecarImages: [''] },
      'test/policy: sidecarImages[0] is "", which is not an image repository (lower case, no pattern, tag or digest): no image would match it. Give the repository only, e.g. "my-org/my-proxy" for registry.example/my-org/my-proxy:1.2'],
    ['a namespace label the API server refuses', { namespaceLabels: { 'sidecar-first/enforce': 'yes please' } },
      'test/policy: namespaceLabels has "sidecar-first/enforce": "yes please", which is not a label the API server accepts. Use a key of [prefix/]name and a value of at most 63 letters, digits, "-", "_" and ".", beginning and ending with a letter or digit'],
  ])('refuses %s at synth', (_title, props, message) => {
    // GIVEN a chart
    const chart = new Chart(new App(), 'test');
    // WHEN the policy is declared with the props
    // THEN the located error
    expect(() => new SidecarFirstAdmissionPolicy(chart, 'policy', props as any)).toThrow(message);
  });

  test('GIVEN a registry with a port and a label with a prefix WHEN declared THEN accepted as given', () => {
    // GIVEN
    const chart = new Chart(new App(), 'test');
    // WHEN
    const policy = new SidecarFirstAdmissionPolicy(chart, 'policy', {
      sidecarImages: ['registry.example:5000/proxy'],
      namespaceLabels: { 'example.com/sidecar-first': 'enforce' },
    });
    // THEN
    expect(policy.knownSidecars.toJson().data.images.split('\n')).toContain('registry.example:5000/proxy');
    expect(policy.binding.toJson().spec.matchResources.namespaceSelector.matchLabels).toEqual({ 'example.com/sidecar-first': 'enforce' });
  });

  test('the version comes from the context too', () => {
    // GIVEN an app whose context says 1.28
    const app = new App();
    app.node.setContext('sidecar-first:kubernetesVersion', '1.28');
    const chart = new Chart(app, 'test');
    // WHEN / THEN
    expect(() => new SidecarFirstAdmissionPolicy(chart, 'policy')).toThrow(/^test\/policy: context "sidecar-first:kubernetesVersion" is 1.28, which does not serve/);
  });
});

describe('sidecar-first policy', () => {
  test('prints what the construct synthesizes, options mirroring its props', async () => {
    // GIVEN the options of a Deny policy for one team's namespaces
    // WHEN run
    const out = await cli('policy', '--action', 'deny', '--action', 'audit', '--namespace-label', 'team=shop', '--pods-only',
      '--name', 'sidecars', '--params-namespace', 'policies', '--sidecar-name', 'my-proxy', '--sidecar-image', 'my-org/my-proxy', '--kubernetes-version', '1.31');

    // THEN the same YAML as the construct's
    const chart = new Chart(new App(), 'x');
    new SidecarFirstAdmissionPolicy(chart, 'x', {
      actions: [AdmissionAction.DENY, AdmissionAction.AUDIT],
      namespaceLabels: { team: 'shop' },
      matchWorkloads: false,
      name: 'sidecars',
      paramsNamespace: 'policies',
      sidecarNames: ['my-proxy'],
      sidecarImages: ['my-org/my-proxy'],
    });
    expect(out).toEqual({ status: 0, stdout: Yaml.stringify(...chart.toJson()), stderr: '' });
  });

  test.each([
    [['--kubernetes-version', '1.29'], 'sidecar-first: --kubernetes-version is 1.29, which does not serve admissionregistration.k8s.io/v1 ValidatingAdmissionPolicy'],
    [['--action', 'block'], 'sidecar-first: --action is "block"; use deny, warn or audit\n'],
    [['--action', 'deny', '--action', 'warn'], 'sidecar-first: --action is ["Deny","Warn"]: the API server rejects Deny with Warn'],
    [['--namespace-label', 'team'], 'sidecar-first: --namespace-label is "team"; give KEY=VALUE\n'],
    [['--sidecar-image', 'my-org/proxy', '--sidecar-image', 'my-org/proxy:1.2'], 'sidecar-first: --sidecar-image is "my-org/proxy:1.2", which is not an image repository (lower case, no pattern, tag or digest)'],
    [['--sidecar-name', 'Proxy'], 'sidecar-first: --sidecar-name is "Proxy", which is not a container name (a DNS label)'],
    [['--params-namespace', 'kube_system'], 'sidecar-first: --params-namespace is "kube_system", which is not a namespace name (a DNS label)'],
    [['--namespace-label', 'team=a b'], 'sidecar-first: --namespace-label has "team": "a b", which is not a label the API server accepts'],
    [['--colour'], 'sidecar-first: unknown option "--colour"\n'],
    [['manifests/'], 'sidecar-first: policy takes no PATH, but was given "manifests/"\n'],
  ])('%j is an error (exit 2)', async (args, message) => {
    // GIVEN / WHEN
    const out = await cli('policy', ...args);
    // THEN
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.startsWith(message)).toBe(true);
  });

  test('GIVEN a version from the environment below 1.30 WHEN run THEN the error names the variable, not the construct', async () => {
    // GIVEN
    const before = process.env.SIDECAR_FIRST_KUBERNETES_VERSION;
    process.env.SIDECAR_FIRST_KUBERNETES_VERSION = '1.28';
    try {
      // WHEN
      const out = await cli('policy');
      // THEN
      expect(out.status).toBe(2);
      expect(out.stderr.split('\n')[0]).toMatch(/^sidecar-first: environment variable SIDECAR_FIRST_KUBERNETES_VERSION is 1\.28, which does not serve /);
    } finally {
      if (before === undefined) delete process.env.SIDECAR_FIRST_KUBERNETES_VERSION;
      else process.env.SIDECAR_FIRST_KUBERNETES_VERSION = before;
    }
  });

  test('--help', async () => {
    const out = await cli('policy', '--help');
    expect(out.status).toBe(0);
    expect(out.stdout).toMatch(/^Usage: sidecar-first policy \[options\]/);
  });
});
