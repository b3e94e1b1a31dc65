/**
 * The mechanism that holds the app containers until the sidecars are ready.
 *
 * @see https://kubernetes.io/docs/concepts/workloads/pods/sidecar-containers/
 */
export enum StartupGate {
  /**
   * Each sidecar is a native sidecar (an init container with `restartPolicy:
   * Always`) whose startupProbe is the readiness check, polled every second.
   * The kubelet starts nothing after it until the probe passes; if it never
   * does, the app never starts. Needs Kubernetes 1.29+ on the API server and
   * on every node.
   */
  STARTUP_PROBE = 'STARTUP_PROBE',

  /**
   * Each sidecar is a regular container placed before the app containers,
   * with a postStart hook that polls the readiness check. The kubelet starts
   * the next container only when the hook returns. Works on any Kubernetes
   * version, but the guarantee is weaker: if the check does not pass before
   * the sidecar's startupTimeout, the hook fails and the kubelet starts the
   * app anyway.
   */
  POST_START = 'POST_START',
}
