/**
 * URI scheme of an HTTP readiness check.
 */
export enum HttpScheme {
  /** Plain HTTP. */
  HTTP = 'HTTP',
  /** HTTPS; like the kubelet, the certificate is not verified. */
  HTTPS = 'HTTPS',
}

/**
 * Options of `ReadinessCheck.httpGet()`.
 */
export interface HttpGetCheckOptions {
  /**
   * Port to send the request to.
   *
   * @default - the sidecar's `portNumber`; a sidecar without one must name the port here.
   */
  readonly port?: number;

  /**
   * Scheme of the request.
   *
   * @default HttpScheme.HTTP
   */
  readonly scheme?: HttpScheme;

  /**
   * Host name to connect to.
   *
   * @default - the pod IP, as the kubelet does for probes
   * @see https://kubernetes.io/docs/reference/kubernetes-api/workload-resources/pod-v1/#HTTPGetAction
   */
  readonly host?: string;

  /**
   * Extra request headers, by name. Names may hold ASCII letters, digits and
   * `-` only (the API server's rule); values no control characters but tab.
   *
   * @default - no extra headers
   */
  readonly headers?: { [name: string]: string };
}

/**
 * Options of `ReadinessCheck.tcpSocket()`.
 */
export interface TcpSocketCheckOptions {
  /**
   * Port that must accept a TCP connection.
   *
   * @default - the sidecar's `portNumber`; a sidecar without one must name the port here.
   */
  readonly port?: number;
}

/**
 * Options of `ReadinessCheck.grpc()`.
 */
export interface GrpcCheckOptions {
  /**
   * Port of the gRPC health service.
   *
   * @default - the sidecar's `portNumber`; a sidecar without one must name the port here.
   */
  readonly port?: number;

  /**
   * Service name sent in the `grpc.health.v1.HealthCheckRequest`.
   *
   * @default - the empty name: the server's overall health
   * @see https://github.com/grpc/grpc/blob/master/doc/health-checking.md
   */
  readonly service?: string;

  /**
   * Path of `grpc_health_probe` inside the sidecar's image. Only the
   * `StartupGate.POST_START` gate needs it: its wait hook runs inside the
   * sidecar, while the kubelet's native gRPC probe needs nothing.
   *
   * @default - none; a gRPC check under `StartupGate.POST_START` is then an error
   * @see https://github.com/grpc-ecosystem/grpc-health-probe
   */
  readonly grpcHealthProbe?: string;
}

/**
 * The kinds of readiness check.
 */
export enum ReadinessCheckKind {
  /** An HTTP GET that must answer 2xx or 3xx. */
  HTTP_GET = 'httpGet',
  /** A TCP port that must accept a connection. */
  TCP_SOCKET = 'tcpSocket',
  /** A command, run inside the sidecar, that must exit 0. */
  COMMAND = 'command',
  /** A gRPC health check that must answer SERVING. */
  GRPC = 'grpc',
}

/**
 * How to tell that a sidecar is ready. The library compiles it into the
 * mechanism that makes the app wait for it (a startupProbe on a native
 * sidecar, or a postStart wait hook), and reuses it as the sidecar's
 * readinessProbe.
 *
 * Values are checked when the check is given to a sidecar, so that errors can
 * name the construct and the sidecar.
 */
export class ReadinessCheck {
  /**
   * Ready when an HTTP GET of `path` answers with a status from 200 to 399.
   *
   * @param path request path, starting with `/`
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-liveness-http-request
   */
  public static httpGet(path: string, options: HttpGetCheckOptions = {}): ReadinessCheck {
    return new ReadinessCheck(ReadinessCheckKind.HTTP_GET, {
      options,
      path,
      port: options?.port,
      scheme: options?.scheme ?? HttpScheme.HTTP,
      host: options?.host,
      headers: options?.headers,
    });
  }

  /**
   * Ready when a TCP connection to the port succeeds.
   *
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-tcp-liveness-probe
   */
  public static tcpSocket(options: TcpSocketCheckOptions = {}): ReadinessCheck {
    return new ReadinessCheck(ReadinessCheckKind.TCP_SOCKET, { options, port: options?.port });
  }

  /**
   * Ready when `argv`, run inside the sidecar without a shell, exits 0.
   *
   * @param argv the program and its arguments, e.g. `['pg_isready', '-h', '127.0.0.1']`
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-liveness-command
   */
  public static command(argv: string[]): ReadinessCheck {
    // A JavaScript caller's non-array is kept as given, for the declaration to reject.
    return new ReadinessCheck(ReadinessCheckKind.COMMAND, { argv: Array.isArray(argv) ? [...argv] : argv });
  }

  /**
   * Ready when the gRPC health service answers SERVING.
   *
   * @see https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#define-a-grpc-liveness-probe
   */
  public static grpc(options: GrpcCheckOptions = {}): ReadinessCheck {
    return new ReadinessCheck(ReadinessCheckKind.GRPC, {
      options,
      port: options?.port,
      service: options?.service,
      grpcHealthProbe: options?.grpcHealthProbe,
    });
  }

  /**
   * The kind of check.
   */
  public readonly kind: ReadinessCheckKind;

  /** @internal */
  public readonly _spec: CheckSpec;

  private constructor(kind: ReadinessCheckKind, spec: CheckSpec) {
    this.kind = kind;
    this._spec = spec;
  }
}

/**
 * Everything a check was declared with, unchecked.
 * @internal
 */
export interface CheckSpec {
  /** The options argument as given: JavaScript callers may pass a non-object (e.g. a port number). */
  readonly options?: unknown;
  readonly port?: number;
  readonly path?: string;
  readonly scheme?: HttpScheme;
  readonly host?: string;
  readonly headers?: { [name: string]: string };
  readonly argv?: string[];
  readonly service?: string;
  readonly grpcHealthProbe?: string;
}
