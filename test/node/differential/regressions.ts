/**
 * Fixed shapes run before the generated ones on every run: each one a case where the
 * kubelet and the model once disagreed (the model was fixed), or a case worth keeping
 * whatever the seed. The comment says what the kubelet did.
 */
import { PodShape } from './shapes';

const probe = (kind: 'exec' | 'httpGet' | 'tcpSocket' | 'grpc', periodSeconds = 1, failureThreshold = 30) =>
  ({ kind, periodSeconds, failureThreshold, initialDelaySeconds: 0, variant: false });

export const REGRESSIONS: readonly PodShape[] = [
  // The library's two gates, on a sidecar ready after 8 s: the app waits.
  { id: 'r-native-startup-http', sidecars: [{ name: 's0', where: 'native', readyAfter: 8, startupProbe: probe('httpGet'), readinessProbe: probe('httpGet') }] },
  { id: 'r-legacy-poll', sidecars: [{ name: 's0', where: 'before-app', readyAfter: 8, postStart: { kind: 'poll', via: 'file', deadline: 40, interval: 1 } }] },
  // A tcpSocket startupProbe beside an HTTP readinessProbe: the port is open at once, the app does not wait for ready (SF111).
  { id: 'r-native-startup-tcp-weaker', sidecars: [{ name: 's0', where: 'native', readyAfter: 10, startupProbe: probe('tcpSocket'), readinessProbe: probe('httpGet') }] },
  // An httpGet postStart hook to a port that answers 503 (another sidecar's, listening already): the kubelet does not
  // read the status, the hook passes and the app starts before either sidecar is ready. (Kubelet 1.37.2: aimed at the
  // sidecar's own port, the same hook failed until the stand-in had opened it, racing with its start: 3 restarts.)
  {
    id: 'r-native-hook-http-503',
    sidecars: [
      { name: 's0', where: 'native', readyAfter: 10 },
      { name: 's1', where: 'native', readyAfter: 10, postStart: { kind: 'http-answering', target: 0 } },
    ],
  },
  // A native sidecar whose hook fails is restarted for ever: the app never starts.
  { id: 'r-native-hook-fails', sidecars: [{ name: 's0', where: 'native', readyAfter: 8, postStart: { kind: 'fail' } }] },
  // The readiness check run once as a hook, at start, when the sidecar is not ready yet: it fails, and the native sidecar is restarted for ever.
  { id: 'r-native-hook-once-check', sidecars: [{ name: 's0', where: 'native', readyAfter: 8, postStart: { kind: 'once-check' } }] },
  // A legacy sidecar whose hook fails is killed and the app starts anyway.
  { id: 'r-legacy-hook-fails', sidecars: [{ name: 's0', where: 'before-app', readyAfter: 8, postStart: { kind: 'fail' } }] },
];
