import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { declarationError, show, sidecarLocation } from './_errors';
import { HttpScheme, ReadinessCheck, ReadinessCheckKind } from './readiness-check';
import { SidecarProps } from './sidecar';
import { StartupGate } from './startup-gate';

/** Default of `SidecarProps.startupTimeout`. */
const DEFAULT_STARTUP_TIMEOUT = Duration.minutes(2);

/** RFC 1123 label: what a container name may be (Kubernetes DNS_LABEL). */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RFC 9110 token: what an HTTP header name may be made of. */
const HTTP_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * A readiness check with its port resolved and every value validated.
 * @internal
 */
export interface ResolvedCheck {
  readonly kind: ReadinessCheckKind;
  /** Set for every kind but COMMAND. */
  readonly port?: number;
  readonly path?: string;
  readonly scheme?: HttpScheme;
  readonly host?: string;
  /** Header name/value pairs, in declaration order. */
  readonly headers?: ReadonlyArray<readonly [string, string]>;
  readonly argv?: readonly string[];
  readonly service?: string;
  readonly grpcHealthProbe?: string;
}

/**
 * A sidecar as validated at declaration: what the compiler consumes.
 * @internal
 */
export interface DeclaredSidecar {
  readonly name: string;
  /** The sidecar's container, without the library's own fields. */
  readonly container: kplus.ContainerProps;
  readonly check: ResolvedCheck;
  readonly startupTimeoutSeconds: number;
}

/**
 * Validates a sidecar declaration, so that nothing invalid reaches the
 * compiler and every error is thrown where the user declared the sidecar.
 * @param path construct path, for messages
 * @param index position among the construct's sidecars, names an unnamed one
 * @param gate the mechanism it will be compiled into
 * @internal
 */
export function declareSidecar(path: string, index: number, props: SidecarProps, gate: StartupGate): DeclaredSidecar {
  const { readinessCheck, startupTimeout, ...container } = props;
  if (!props.name) {
    throw declarationError(`${path}: sidecars[${index}]`, 'name', 'is required', 'Give every sidecar a unique container name, e.g. name: \'proxy\'');
  }
  if (props.name.length > 63 || !DNS_LABEL.test(props.name)) {
    throw declarationError(`${path}: sidecars[${index}]`, 'name', `is ${show(props.name)}, which is not a valid container name`,
      'Use at most 63 lower-case letters, digits and \'-\', starting and ending with a letter or digit (an RFC 1123 label), e.g. \'cloud-sql-proxy\'');
  }
  const where = sidecarLocation(path, props.name);
  if (props.startup !== undefined) {
    throw declarationError(where, 'startup', 'must not be set: the library builds the startupProbe from readinessCheck',
      'Remove startup and describe readiness with readinessCheck (its timeout is startupTimeout)');
  }
  if (props.restartPolicy !== undefined) {
    throw declarationError(where, 'restartPolicy', `must not be set (got ${show(props.restartPolicy)}): the library decides how the sidecar is placed`,
      'Remove restartPolicy; the sidecar becomes a native sidecar (restartPolicy: Always) where the cluster supports it');
  }
  if (gate === StartupGate.POST_START && props.lifecycle?.postStart) {
    throw declarationError(where, 'lifecycle.postStart', 'must not be set under StartupGate.POST_START: the library\'s wait hook is the postStart hook',
      'Remove lifecycle.postStart (preStop is fine), or fold its work into the sidecar\'s entrypoint');
  }
  if (!readinessCheck) {
    throw declarationError(where, 'readinessCheck', 'is required',
      'Say how to tell the sidecar is ready, e.g. readinessCheck: ReadinessCheck.httpGet(\'/healthz\', { port: 8080 })');
  }
  return {
    name: props.name,
    container,
    check: resolveCheck(where, readinessCheck, props.portNumber ?? props.port, gate),
    startupTimeoutSeconds: wholeSeconds(where, startupTimeout ?? DEFAULT_STARTUP_TIMEOUT),
  };
}

function resolveCheck(where: string, check: ReadinessCheck, containerPort: number | undefined, gate: StartupGate): ResolvedCheck {
  const spec = check._spec;
  switch (check.kind) {
    case ReadinessCheckKind.COMMAND:
      if (spec.argv!.length === 0) {
        throw declarationError(where, 'readinessCheck', 'is ReadinessCheck.command([]): the command is empty',
          'Give the program and its arguments, e.g. ReadinessCheck.command([\'pg_isready\', \'-h\', \'127.0.0.1\'])');
      }
      return { kind: check.kind, argv: spec.argv };
    case ReadinessCheckKind.HTTP_GET:
      checkPath(where, spec.path);
      return {
        kind: check.kind,
        port: resolvePort(where, spec.port, containerPort),
        path: spec.path,
        scheme: spec.scheme,
        host: spec.host,
        headers: checkHeaders(where, spec.headers ?? {}),
      };
    case ReadinessCheckKind.GRPC:
      if (gate === StartupGate.POST_START && !spec.grpcHealthProbe) {
        throw declarationError(where, 'readinessCheck', 'is a gRPC check, which StartupGate.POST_START can only run with grpc_health_probe inside the sidecar image',
          'Add grpc_health_probe to the image and give its path: ReadinessCheck.grpc({ grpcHealthProbe: \'/bin/grpc_health_probe\' }); or check a TCP port or a command instead; or use StartupGate.STARTUP_PROBE on Kubernetes 1.29+');
      }
      return { kind: check.kind, port: resolvePort(where, spec.port, containerPort), service: spec.service, grpcHealthProbe: spec.grpcHealthProbe };
    default:
      return { kind: check.kind, port: resolvePort(where, spec.port, containerPort) };
  }
}

function resolvePort(where: string, checkPort: number | undefined, containerPort: number | undefined): number {
  const port = checkPort ?? containerPort;
  const field = checkPort !== undefined ? 'readinessCheck port' : 'portNumber (used by readinessCheck)';
  if (port === undefined) {
    throw declarationError(where, 'readinessCheck', 'has no port, and the sidecar has no portNumber to default to',
      'Give the port in the check, e.g. ReadinessCheck.tcpSocket({ port: 5432 }), or set portNumber on the sidecar');
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw declarationError(where, field, `is ${show(port)}, outside 1-65535`, 'Use a whole TCP port number from 1 to 65535');
  }
  return port;
}

function checkPath(where: string, path: string | undefined): void {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw declarationError(where, 'readinessCheck path', `is ${show(path)}, which does not start with "/"`,
      `Give an absolute request path, e.g. ReadinessCheck.httpGet('/${typeof path === 'string' ? path : 'healthz'}')`);
  }
}

function checkHeaders(where: string, headers: { [name: string]: string }): ReadonlyArray<readonly [string, string]> {
  const pairs = Object.entries(headers);
  for (const [name, value] of pairs) {
    if (!HTTP_TOKEN.test(name)) {
      throw declarationError(where, 'readinessCheck header name', `${show(name)} is not a valid HTTP header name`,
        'Use letters, digits and !#$%&\'*+-.^_`|~ only (an RFC 9110 token), e.g. X-Health-Token');
    }
    if (/[\r\n\0]/.test(value)) {
      throw declarationError(where, `readinessCheck header ${name}`, `has the value ${show(value)}, which contains a line break or NUL`,
        'HTTP header values are one line (RFC 9110); remove the control characters');
    }
  }
  return pairs;
}

function wholeSeconds(where: string, timeout: Duration): number {
  const ms = timeout.toMilliseconds();
  if (ms < 1000 || ms % 1000 !== 0) {
    throw declarationError(where, 'startupTimeout', `is ${ms} ms, ${ms < 1000 ? 'under 1 second' : 'not a whole number of seconds'}`,
      'Use a whole number of seconds, at least 1, e.g. Duration.seconds(90) (probe periods are counted in seconds)');
  }
  return ms / 1000;
}
