import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { checkContainerName, isDnsLabel } from './container-names';
import { DependentInitContainerProps } from '../../constructs/dependent-init-container';
import { HttpScheme, ReadinessCheck, ReadinessCheckKind } from '../../constructs/readiness-check';
import { AppVolumeMount, SidecarProps } from '../../constructs/sidecar';
import { StartupGate } from '../../constructs/startup-gate';
import { constructPath, declarationError, show, sidecarLocation } from '../errors';

/** Default of `SidecarProps.startupTimeout`. */
const DEFAULT_STARTUP_TIMEOUT = Duration.minutes(2);

/** What the API server accepts as a probe header name (Kubernetes' IsHTTPHeaderName). */
const HTTP_HEADER_NAME = /^[-A-Za-z0-9]+$/;

/** Control characters: no HTTP header value may hold them, HTAB aside (RFC 9110). */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\x00-\x08\x0a-\x1f\x7f]/;

/** failureThreshold is an int32 counting 1 s periods: the longest startupTimeout. */
const MAX_STARTUP_TIMEOUT_SECONDS = 2 ** 31 - 1;

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
  readonly dependsOn: readonly string[];
  readonly drainSeconds?: number;
  /** Volumes of the pod to mount, by name: resolved against the pod's volumes at synthesis. */
  readonly appVolumeMounts: readonly AppVolumeMount[];
}

/**
 * An init container that runs once the sidecars it needs are ready, validated.
 * @internal
 */
export interface DeclaredDependentInit {
  readonly name: string;
  readonly container: kplus.ContainerProps;
  readonly needs: readonly string[];
}

/**
 * What a declaration is validated against.
 * @internal
 */
export interface DeclarationContext {
  /** Construct path, for messages. */
  readonly path: string;
  readonly gate: StartupGate;
  /** A Job or CronJob: the pod must be able to finish. */
  readonly runsToCompletion: boolean;
}

/**
 * Validates a sidecar declaration, so that nothing invalid reaches the
 * compiler and every error is thrown where the user declared the sidecar.
 * @param index position among the construct's sidecars, names an unnamed one
 * @internal
 */
export function declareSidecar(context: DeclarationContext, index: number, props: SidecarProps): DeclaredSidecar {
  const { path, gate } = context;
  checkObject(path, `sidecars[${index}]`, props, 'a sidecar', '{ name: \'proxy\', image: \'envoyproxy/envoy:v1.31\', readinessCheck: ReadinessCheck.tcpSocket({ port: 9901 }) }');
  const { readinessCheck, startupTimeout, dependsOn, drainTime, jobExit, appVolumeMounts, ...container } = props;
  checkName(`${path}: sidecars[${index}]`, props.name, 'proxy');
  const where = sidecarLocation(path, props.name!);
  checkImage(where, props.image, 'envoyproxy/envoy:v1.31');
  checkContainerPorts(where, props);
  checkVolumeMounts(where, props.volumeMounts);
  checkContainerFields(where, props);
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
  if (!(readinessCheck instanceof ReadinessCheck)) {
    throw declarationError(where, 'readinessCheck', `is ${show(readinessCheck)}, which is not a ReadinessCheck`,
      'Build it with ReadinessCheck.httpGet(), tcpSocket(), command() or grpc(), e.g. ReadinessCheck.httpGet(\'/healthz\', { port: 8080 })');
  }
  if (jobExit !== undefined && typeof jobExit !== 'string') {
    throw declarationError(where, 'jobExit', `is ${show(jobExit)}, which is not a string`,
      'Say in words how the sidecar exits once the app is done, e.g. jobExit: \'the app calls POST http://localhost:15020/quitquitquit\'');
  }
  if (gate === StartupGate.POST_START && context.runsToCompletion && !jobExit?.trim()) {
    throw declarationError(where, 'jobExit', 'is required for a Job or CronJob under StartupGate.POST_START: a sidecar in spec.containers keeps the pod running forever once the app is done',
      'Use StartupGate.STARTUP_PROBE (Kubernetes 1.29+), where the kubelet stops native sidecars after the app; or make the sidecar exit when the app is done and say how in jobExit');
  }
  if (drainTime !== undefined && props.lifecycle?.preStop) {
    throw declarationError(where, 'drainTime', 'cannot be combined with lifecycle.preStop: the drain is a preStop hook',
      'Remove one of them; to run your own preStop for a while, make it wait itself');
  }
  return {
    name: props.name!,
    container,
    check: resolveCheck(where, readinessCheck, props.portNumber ?? props.port, gate),
    startupTimeoutSeconds: startupSeconds(where, startupTimeout ?? DEFAULT_STARTUP_TIMEOUT),
    dependsOn: nameList(where, 'dependsOn', dependsOn ?? [], 'vault'),
    drainSeconds: drainTime === undefined ? undefined : wholeSeconds(where, 'drainTime', drainTime),
    appVolumeMounts: checkAppVolumeMounts(where, appVolumeMounts ?? []),
  };
}

/**
 * Validates an init container that needs sidecars.
 * @internal
 */
export function declareDependentInit(context: DeclarationContext, index: number, props: DependentInitContainerProps): DeclaredDependentInit {
  checkObject(context.path, `dependentInitContainers[${index}]`, props, 'an init container', '{ name: \'migrate\', image: \'migrations:3\', needs: [\'cloud-sql-proxy\'] }');
  const { needs, ...container } = props;
  checkName(`${context.path}: dependentInitContainers[${index}]`, props.name, 'migrate');
  const where = `${context.path}: init container "${props.name}"`;
  checkImage(where, props.image, 'migrations:3');
  checkContainerPorts(where, props);
  checkVolumeMounts(where, props.volumeMounts);
  checkContainerFields(where, props);
  if (context.gate === StartupGate.POST_START) {
    throw declarationError(where, 'needs', `is ${show(needs)}, but under StartupGate.POST_START sidecars are regular containers and every init container runs before them`,
      'Use StartupGate.STARTUP_PROBE (Kubernetes 1.29+), or run this work in the app container');
  }
  if (!needs || needs.length === 0) {
    throw declarationError(where, 'needs', 'is empty', 'Name the sidecars it needs, or declare it in initContainers (which run before the sidecars)');
  }
  const needed = nameList(where, 'needs', needs, 'cloud-sql-proxy');
  for (const field of ['readiness', 'liveness', 'startup', 'lifecycle', 'restartPolicy'] as const) {
    if (props[field] !== undefined) {
      throw declarationError(where, field, 'must not be set: the API server rejects it on init containers that run to completion',
        `Remove ${field}; if this container should keep running, declare it as a sidecar`);
    }
  }
  return { name: props.name!, container, needs: needed };
}

/**
 * A declaration (or an item of a list of them) must be an object: JavaScript
 * callers may pass null, a string or an array.
 * @internal
 */
export function checkObject(where: string, field: string, value: unknown, what: string, example: string): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw declarationError(where, field, `is ${show(value)}, which is not ${what}`, `Give an object, e.g. ${example}`);
  }
}

/**
 * The props of a SidecarFirst* construct, checked before cdk8s-plus reads them.
 * @internal
 */
export function kplusProps<P>(scope: unknown, id: unknown, props: P): P {
  checkObject(constructPath(scope, id), 'props', props, 'an object of props', '{ containers: [...], sidecars: [...] }');
  return props;
}

/**
 * The container ports the library reads (the check's default port, Services,
 * network policies) and writes: the API server accepts 1-65535 only.
 * @internal
 */
export function checkContainerPorts(where: string, props: {
  readonly portNumber?: unknown; readonly port?: unknown; readonly ports?: unknown;
}): void {
  for (const field of ['portNumber', 'port'] as const) {
    if (props[field] !== undefined) {
      checkPortNumber(where, field, props[field]);
    }
  }
  if (props.ports === undefined) {
    return;
  }
  if (!Array.isArray(props.ports)) {
    throw declarationError(where, 'ports', `are ${show(props.ports)}, which is not a list`, 'Give an array of ports, e.g. ports: [{ number: 8443, name: \'https\' }]');
  }
  props.ports.forEach((p: unknown, i: number) => {
    if (p === null || typeof p !== 'object') {
      throw declarationError(where, `ports[${i}]`, `is ${show(p)}, which is not a port`, 'Give an object, e.g. { number: 8443, name: \'https\' }');
    }
    checkPortNumber(where, `ports[${i}].number`, (p as { number?: unknown }).number);
    const hostPort = (p as { hostPort?: unknown }).hostPort;
    if (hostPort !== undefined) {
      checkPortNumber(where, `ports[${i}].hostPort`, hostPort);
    }
  });
}

/** cdk8s-plus keeps volumeMounts as given, and the library reads them: a JavaScript caller's wrong type would fail late. */
function checkVolumeMounts(where: string, mounts: unknown): void {
  if (mounts === undefined) {
    return;
  }
  const example = 'volumeMounts: [{ path: \'/tmp\', volume: Volume.fromEmptyDir(scope, \'tmp\', \'tmp\') }]';
  if (!Array.isArray(mounts)) {
    throw declarationError(where, 'volumeMounts', `are ${show(mounts)}, which is not a list`, `Give an array, e.g. ${example}`);
  }
  mounts.forEach((m: unknown, i: number) => {
    const mount = m as { path?: unknown; volume?: { name?: unknown } } | null;
    if (mount === null || typeof mount !== 'object' || typeof mount.path !== 'string' || typeof mount.volume?.name !== 'string') {
      throw declarationError(where, `volumeMounts[${i}]`, `is ${show(m)}, which is not a volume mount (a path and a cdk8s-plus-28 Volume)`,
        `Give an object, e.g. ${example}; to mount a volume of the workload by name, use appVolumeMounts`);
    }
  });
}

/** A TCP/UDP port number: a whole number from 1 to 65535, as the API server requires. */
function checkPortNumber(where: string, field: string, port: unknown): number {
  if (typeof port !== 'number') {
    throw declarationError(where, field, `is ${show(port)}, which is not a number`, 'Use a whole TCP port number from 1 to 65535');
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw declarationError(where, field, `is ${show(port)}, outside 1-65535`, 'Use a whole TCP port number from 1 to 65535');
  }
  return port;
}

/** Mounts of the pod's own volumes, by name; whether each volume exists is known at synthesis only. */
function checkAppVolumeMounts(where: string, mounts: unknown): AppVolumeMount[] {
  const example = 'appVolumeMounts: [{ volume: \'data\', path: \'/data\' }]';
  if (!Array.isArray(mounts)) {
    throw declarationError(where, 'appVolumeMounts', `are ${show(mounts)}, which is not a list`, `Give an array, e.g. ${example}`);
  }
  return mounts.map((m: unknown, i: number) => {
    const field = `appVolumeMounts[${i}]`;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      throw declarationError(where, field, `is ${show(m)}, which is not a volume mount`, `Give an object, e.g. ${example}`);
    }
    const mount = m as AppVolumeMount;
    if (!isDnsLabel(mount.volume)) {
      throw declarationError(where, `${field}.volume`, `is ${show(mount.volume)}, which is not a volume name`,
        'Give the name of a volume of the pod (an RFC 1123 label, as in the pod\'s spec.volumes), e.g. volume: \'data\'');
    }
    if (typeof mount.path !== 'string' || !mount.path.startsWith('/')) {
      throw declarationError(where, `${field}.path`, `is ${show(mount.path)}, which is not an absolute path`, 'Give where to mount it in the sidecar, e.g. path: \'/data\'');
    }
    if (mount.readOnly !== undefined && typeof mount.readOnly !== 'boolean') {
      throw declarationError(where, `${field}.readOnly`, `is ${show(mount.readOnly)}, which is not a boolean`, 'Use true or false, or leave it out');
    }
    if (mount.subPath !== undefined && (typeof mount.subPath !== 'string' || mount.subPath.startsWith('/') || mount.subPath.split('/').includes('..'))) {
      throw declarationError(where, `${field}.subPath`, `is ${show(mount.subPath)}, which is not a relative path inside the volume`,
        'Give a relative path without \'..\', e.g. subPath: \'config\', or leave it out');
    }
    return { volume: mount.volume, path: mount.path, readOnly: mount.readOnly, subPath: mount.subPath };
  });
}

function checkName(where: string, name: string | undefined, example: string): void {
  if (!name) {
    throw declarationError(where, 'name', 'is required', `Give it a unique container name, e.g. name: '${example}'`);
  }
  checkContainerName(where, name, example);
}

/** JavaScript callers get no type checking: an image that is not a string would reach the manifest. */
function checkImage(where: string, image: unknown, example: string): void {
  if (typeof image !== 'string' || image.trim() === '') {
    throw declarationError(where, 'image', `is ${show(image)}, which is not an image name`,
      `Give the container image as a string, e.g. image: '${example}'`);
  }
}

/** The container fields checkContainerFields reads, as a JavaScript caller may give them. */
interface UncheckedContainerFields {
  readonly workingDir?: unknown;
  readonly imagePullPolicy?: unknown;
  readonly command?: unknown;
  readonly args?: unknown;
  readonly envVariables?: unknown;
}

/**
 * Container fields cdk8s-plus copies into the manifest unchecked: a JavaScript caller's wrong type
 * would reach the API server, which refuses to decode the whole workload.
 */
function checkContainerFields(where: string, props: UncheckedContainerFields): void {
  const env = props.envVariables;
  if (env !== undefined && (env === null || typeof env !== 'object' || Array.isArray(env))) {
    throw declarationError(where, 'envVariables', `is ${show(env)}, which is not a map from names to values`,
      'Give an object, e.g. envVariables: { LOG_LEVEL: EnvValue.fromValue(\'info\') }');
  }
  if (props.workingDir !== undefined && typeof props.workingDir !== 'string') {
    throw declarationError(where, 'workingDir', `is ${show(props.workingDir)}, which is not a string`, 'Give a directory as a string, e.g. workingDir: \'/app\'');
  }
  if (props.imagePullPolicy !== undefined && !['Always', 'IfNotPresent', 'Never'].includes(props.imagePullPolicy as string)) {
    throw declarationError(where, 'imagePullPolicy', `is ${show(props.imagePullPolicy)}, which is not an image pull policy`,
      'Use ImagePullPolicy.ALWAYS, IF_NOT_PRESENT or NEVER from cdk8s-plus');
  }
  for (const field of ['command', 'args'] as const) {
    const value = props[field];
    if (value !== undefined && (!Array.isArray(value) || !value.every(v => typeof v === 'string'))) {
      throw declarationError(where, field, `is ${show(value)}, which is not a list of strings`, `Give an array of strings, e.g. ${field}: ['--port=8080']`);
    }
  }
}

/** A list of container names (dependsOn, needs), as JavaScript callers may get it wrong. */
function nameList(where: string, field: 'dependsOn' | 'needs', value: unknown, example: string): string[] {
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
    throw declarationError(where, field, `is ${show(value)}, which is not a list of container names`,
      `Give an array of names, e.g. ${field}: ${stringArray(typeof value === 'string' ? [value] : [example])}`);
  }
  return [...value];
}

/** An array of strings as TypeScript source, for fixes in messages. */
function stringArray(values: string[]): string {
  return `[${values.map(v => `'${v}'`).join(', ')}]`;
}

/** An optional string option of a check, as JavaScript callers may get it wrong. */
function checkOptionalString(where: string, field: string, value: unknown): void {
  if (value !== undefined && typeof value !== 'string') {
    throw declarationError(where, `readinessCheck ${field}`, `is ${show(value)}, which is not a string`, `Give ${field} as a string, or leave it out`);
  }
}

function resolveCheck(where: string, check: ReadinessCheck, containerPort: number | undefined, gate: StartupGate): ResolvedCheck {
  const spec = check._spec;
  if (spec.options !== undefined && (spec.options === null || typeof spec.options !== 'object' || Array.isArray(spec.options))) {
    throw declarationError(where, 'readinessCheck options', `are ${show(spec.options)}, which is not an object`,
      `Pass the options as an object, e.g. ReadinessCheck.${check.kind}(${check.kind === ReadinessCheckKind.HTTP_GET ? '\'/healthz\', ' : ''}{ port: 8080 })`);
  }
  switch (check.kind) {
    case ReadinessCheckKind.COMMAND:
      if (!Array.isArray(spec.argv) || !spec.argv.every(a => typeof a === 'string')) {
        throw declarationError(where, 'readinessCheck', `is ReadinessCheck.command(${show(spec.argv)}), whose argument is not a list of strings`,
          `Give the program and its arguments as an array, e.g. ReadinessCheck.command(${stringArray(typeof spec.argv === 'string' ? [spec.argv] : ['pg_isready', '-h', '127.0.0.1'])})`);
      }
      if (spec.argv.length === 0) {
        throw declarationError(where, 'readinessCheck', 'is ReadinessCheck.command([]): the command is empty',
          'Give the program and its arguments, e.g. ReadinessCheck.command([\'pg_isready\', \'-h\', \'127.0.0.1\'])');
      }
      // Only the program: an empty argument is a valid one (e.g. `grep -q ''`), an empty program can never be exec'd.
      if (spec.argv[0] === '') {
        throw declarationError(where, 'readinessCheck', `is ReadinessCheck.command(${show(spec.argv)}): the program (the first element) is empty`,
          'Give the program first, then its arguments, e.g. ReadinessCheck.command([\'pg_isready\', \'-h\', \'127.0.0.1\'])');
      }
      return { kind: check.kind, argv: spec.argv };
    case ReadinessCheckKind.HTTP_GET:
      checkPath(where, spec.path);
      if (!Object.values(HttpScheme).includes(spec.scheme!)) {
        throw declarationError(where, 'readinessCheck scheme', `is ${show(spec.scheme)}, which is not an HttpScheme`,
          'Use HttpScheme.HTTP or HttpScheme.HTTPS (the strings "HTTP" or "HTTPS")');
      }
      checkOptionalString(where, 'host', spec.host);
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
      checkOptionalString(where, 'service', spec.service);
      checkOptionalString(where, 'grpcHealthProbe', spec.grpcHealthProbe);
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
  return checkPortNumber(where, field, port);
}

function checkPath(where: string, path: string | undefined): void {
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw declarationError(where, 'readinessCheck path', `is ${show(path)}, which does not start with "/"`,
      `Give an absolute request path, e.g. ReadinessCheck.httpGet('/${typeof path === 'string' ? path : 'healthz'}')`);
  }
}

function checkHeaders(where: string, headers: unknown): ReadonlyArray<readonly [string, string]> {
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) {
    throw declarationError(where, 'readinessCheck headers', `are ${show(headers)}, which is not an object of names and values`,
      'Give the headers as an object, e.g. headers: { \'X-Health-Token\': \'abc\' }');
  }
  const pairs = Object.entries(headers);
  for (const [name, value] of pairs) {
    if (!HTTP_HEADER_NAME.test(name)) {
      throw declarationError(where, 'readinessCheck header name', `${show(name)} is not a header name Kubernetes accepts`,
        'Use ASCII letters, digits and \'-\' only (the API server\'s IsHTTPHeaderName), e.g. X-Health-Token');
    }
    if (typeof value !== 'string') {
      throw declarationError(where, `readinessCheck header ${name}`, `has the value ${show(value)}, which is not a string`,
        `Give the value as a string, e.g. '${String(value)}'`);
    }
    if (CONTROL_CHARACTER.test(value)) {
      throw declarationError(where, `readinessCheck header ${name}`, `has the value ${show(value)}, which contains a control character`,
        'HTTP header values are one line of visible characters, spaces and tabs (RFC 9110); remove the control characters');
    }
  }
  return pairs as Array<[string, string]>;
}

function startupSeconds(where: string, timeout: unknown): number {
  const seconds = wholeSeconds(where, 'startupTimeout', timeout);
  if (seconds > MAX_STARTUP_TIMEOUT_SECONDS) {
    throw declarationError(where, 'startupTimeout', `is ${seconds} s, more than the startupProbe's failureThreshold can count`,
      `Use at most Duration.seconds(${MAX_STARTUP_TIMEOUT_SECONDS}) (failureThreshold is a 32-bit integer and the probe period 1 s)`);
  }
  return seconds;
}

/**
 * A Duration's milliseconds; JavaScript callers may pass a plain number,
 * which is an error rather than a guess at its unit.
 * @internal
 */
export function durationMillis(where: string, field: string, value: unknown, example: string): number {
  const duration = value as Duration | undefined;
  if (typeof duration?.toMilliseconds !== 'function') {
    throw declarationError(where, field, `is ${show(value)}, which is not a Duration`,
      `Give a cdk8s Duration, e.g. ${field}: ${typeof value === 'number' && Number.isFinite(value) ? `Duration.seconds(${value}) or Duration.millis(${value})` : example}`);
  }
  let ms: number;
  try {
    // cdk8s throws, without saying where, for a Duration of NaN, Infinity or a fraction of a millisecond.
    ms = duration.toMilliseconds();
  } catch (e) {
    throw declarationError(where, field, `cannot be used: ${(e as Error).message.replace(/\.$/, '')}`,
      `Give a finite Duration of whole milliseconds, e.g. ${field}: ${example}`);
  }
  return ms;
}

function wholeSeconds(where: string, field: 'startupTimeout' | 'drainTime', value: unknown): number {
  const ms = durationMillis(where, field, value, field === 'startupTimeout' ? 'Duration.minutes(2)' : 'Duration.seconds(10)');
  if (ms < 1000 || ms % 1000 !== 0) {
    const why = field === 'startupTimeout' ? 'probe periods are counted in seconds' : 'hook sleeps are counted in seconds';
    throw declarationError(where, field, `is ${ms} ms, ${ms < 1000 ? 'under 1 second' : 'not a whole number of seconds'}`,
      `Use a whole number of seconds, at least 1, e.g. Duration.seconds(${field === 'startupTimeout' ? 90 : 10}) (${why})`);
  }
  return ms / 1000;
}
