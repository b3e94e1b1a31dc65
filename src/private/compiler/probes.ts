import * as kplus from 'cdk8s-plus-28';
import { ReadinessCheckKind } from '../../constructs/readiness-check';
import { ResolvedCheck } from '../declare/declare-sidecar';

type k8sProbe = kplus.k8s.Probe;

/**
 * startupProbe period: 1 s, the smallest the API allows (docs/kubelet-semantics.md V4), so the
 * app starts at most about one second after the sidecar is ready.
 * @internal
 */
const STARTUP_PROBE_PERIOD_SECONDS = 1;

/**
 * Per-attempt timeout of both probes: the Kubernetes default, kept explicit.
 */
const PROBE_TIMEOUT_SECONDS = 1;

/**
 * The readinessProbe derived from a check: Kubernetes' default numbers,
 * written out so the manifest says what it does.
 */
const READINESS_PROBE_PERIOD_SECONDS = 10;
const READINESS_FAILURE_THRESHOLD = 3;

/**
 * The startupProbe that holds every later container until the check passes
 * once (docs/kubelet-semantics.md R3), and gives up after `timeoutSeconds`
 * (failureThreshold x periodSeconds).
 * @internal
 */
export function startupProbe(check: ResolvedCheck, timeoutSeconds: number): k8sProbe {
  return probe(check, STARTUP_PROBE_PERIOD_SECONDS, Math.ceil(timeoutSeconds / STARTUP_PROBE_PERIOD_SECONDS));
}

/**
 * The readinessProbe for Services and `kubectl get pods`; it gates nothing (R6).
 * @internal
 */
export function readinessProbe(check: ResolvedCheck): k8sProbe {
  return probe(check, READINESS_PROBE_PERIOD_SECONDS, READINESS_FAILURE_THRESHOLD);
}

/** Every number written out, so the manifest says what it does. */
function probe(check: ResolvedCheck, periodSeconds: number, failureThreshold: number): k8sProbe {
  // The numbers and the action in one literal per kind: probes are built for every sidecar of every pod.
  const numbers = { initialDelaySeconds: 0, periodSeconds, timeoutSeconds: PROBE_TIMEOUT_SECONDS, successThreshold: 1, failureThreshold };
  switch (check.kind) {
    case ReadinessCheckKind.HTTP_GET:
      return {
        ...numbers,
        httpGet: {
          path: check.path,
          port: kplus.k8s.IntOrString.fromNumber(check.port!),
          scheme: check.scheme,
          host: check.host,
          httpHeaders: check.headers!.length > 0 ? check.headers!.map(([name, value]) => ({ name, value })) : undefined,
        },
      };
    case ReadinessCheckKind.TCP_SOCKET:
      return { ...numbers, tcpSocket: { port: kplus.k8s.IntOrString.fromNumber(check.port!) } };
    case ReadinessCheckKind.GRPC:
      // cdk8s-plus-28's Probe class has no gRPC variant; the generated k8s type does.
      return { ...numbers, grpc: { port: check.port!, service: check.service } };
    case ReadinessCheckKind.COMMAND:
      return { ...numbers, exec: { command: [...check.argv!] } };
  }
}
