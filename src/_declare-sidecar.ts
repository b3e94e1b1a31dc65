import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { declarationError, show, sidecarLocation } from './_errors';
import { HttpScheme, ReadinessCheck, ReadinessCheckKind } from './readiness-check';
import { SidecarProps } from './sidecar';

/** Default of `SidecarProps.startupTimeout`. */
const DEFAULT_STARTUP_TIMEOUT = Duration.minutes(2);

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
 * @internal
 */
export function declareSidecar(path: string, index: number, props: SidecarProps): DeclaredSidecar {
  const { readinessCheck, startupTimeout, ...container } = props;
  if (!props.name) {
    throw declarationError(`${path}: sidecars[${index}]`, 'name', 'is required', 'Give every sidecar a unique container name, e.g. name: \'proxy\'');
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
  if (!readinessCheck) {
    throw declarationError(where, 'readinessCheck', 'is required',
      'Say how to tell the sidecar is ready, e.g. readinessCheck: ReadinessCheck.httpGet(\'/healthz\', { port: 8080 })');
  }
  return {
    name: props.name,
    container,
    check: resolveCheck(where, readinessCheck, props.portNumber ?? props.port),
    startupTimeoutSeconds: wholeSeconds(where, startupTimeout ?? DEFAULT_STARTUP_TIMEOUT),
  };
}

function resolveCheck(where: string, check: ReadinessCheck, containerPort: number | undefined): ResolvedCheck {
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
      return { kind: check.kind, port: resolvePort(where, spec.port, containerPort), service: spec.service };
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
  for (const [name] of pairs) {
    if (!HTTP_TOKEN.test(name)) {
      throw declarationError(where, 'readinessCheck header name', `${show(name)} is not a valid HTTP header name`,
        'Use letters, digits and !#$%&\'*+-.^_`|~ only (an RFC 9110 token), e.g. X-Health-Token');
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
