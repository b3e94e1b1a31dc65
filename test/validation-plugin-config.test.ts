/**
 * The validation plugin's properties come from cdk8s.yaml, where nothing
 * checks their types: a wrong one is one violation that names cdk8s.yaml and
 * the property, not an exception (cdk8s-cli prints those with a stack trace).
 */
import { SidecarFirstValidation, SidecarFirstValidationProps } from '../src';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** What cdk8s-cli hands a plugin: the manifests and a report to fill. */
function context() {
  const violations: any[] = [];
  let status: string | undefined;
  return {
    manifests: [],
    report: { addViolation: (v: any) => violations.push(v), submit: (s: string) => (status = s) },
    result: () => ({ status, violations }),
  };
}

test.each<[string, unknown, string]>([
  ['a kubernetesVersion that is not a version', { kubernetesVersion: 'x' },
    'cdk8s.yaml: validations: SidecarFirstValidation properties: kubernetesVersion is "x", which is not a Kubernetes version (quote it: kubernetesVersion: "1.29"; or "v1.28.3", "1.28.3-eks-abc")'],
  ['an unquoted kubernetesVersion, which YAML reads as the number 1.3', { kubernetesVersion: 1.30 },
    'cdk8s.yaml: validations: SidecarFirstValidation properties: kubernetesVersion is 1.3, which is not a Kubernetes version (quote it: kubernetesVersion: "1.29"; or "v1.28.3", "1.28.3-eks-abc")'],
  ['sidecars as one name', { sidecars: 'proxy' },
    'cdk8s.yaml: validations: SidecarFirstValidation properties: sidecars is "proxy", which is not a list of container names (e.g. sidecars: [proxy])'],
  ['properties that are a list', ['1.29'],
    'cdk8s.yaml: validations: SidecarFirstValidation properties are ["1.29"], which is not a map (e.g. properties: { kubernetesVersion: "1.29" })'],
])('%s: one violation naming cdk8s.yaml, the report fails, nothing is thrown', async (_case, properties, message) => {
  // GIVEN
  const ctx = context();

  // WHEN
  await new SidecarFirstValidation(properties as SidecarFirstValidationProps).validate(ctx);

  // THEN
  expect(ctx.result()).toEqual({
    status: 'failure',
    violations: [{
      ruleName: 'sidecar-first configuration (error)',
      recommendation: message,
      fix: 'Correct the properties of the SidecarFirstValidation entry under validations in cdk8s.yaml',
      violatingResources: [{ resourceName: 'SidecarFirstValidation', manifestPath: 'cdk8s.yaml', locations: [message] }],
    }],
  });
});

test('no properties at all (cdk8s-cli passes none when cdk8s.yaml has none): nothing to check', async () => {
  const ctx = context();
  await new SidecarFirstValidation(undefined).validate(ctx);
  await new SidecarFirstValidation(null as any).validate(ctx);
  expect(ctx.result()).toEqual({ status: 'success', violations: [] });
});
