/**
 * Builds the library's errors, so that every message has the same shape:
 * where (construct path and sidecar), which field, what was wrong with which
 * value, and how to fix it.
 * @internal
 */
export function declarationError(where: string, field: string, problem: string, fix: string): Error {
  const error = new Error(`${where}: ${field} ${problem}. ${fix}`);
  LIBRARY_ERRORS.add(error);
  return error;
}

/** Every error the library made, so that tests can tell them from a raw TypeError. */
const LIBRARY_ERRORS = new WeakSet<Error>();

/**
 * Whether `error` is one of the library's located errors.
 * @internal
 */
export function isLibraryError(error: unknown): boolean {
  return error instanceof Error && LIBRARY_ERRORS.has(error);
}

/**
 * A cdk8s-plus error (often a TypeError for a JavaScript caller's wrong type)
 * raised while the library built something the user declared: located, with
 * cdk8s-plus's own words. The library's own errors pass unchanged.
 * @internal
 */
export function kplusError(where: string, what: string, error: unknown): Error {
  if (isLibraryError(error)) {
    return error as Error;
  }
  const typeError = error instanceof TypeError || error instanceof RangeError;
  const message = error instanceof Error ? `${typeError ? `${error.constructor.name}: ` : ''}${error.message.replace(/\.$/, '')}` : show(error);
  return declarationError(where, what, `was rejected by cdk8s-plus (${message})`, typeError
    ? 'Check the type of every field against cdk8s-plus\'s documentation of these props'
    : 'Correct the declaration as cdk8s-plus\'s message says');
}

/**
 * The path of a construct for messages, from a caller who may not have passed a construct.
 * @internal
 */
export function constructPath(scope: unknown, id?: unknown): string {
  const path = (scope as { node?: { path?: unknown } } | undefined)?.node?.path;
  const base = typeof path === 'string' ? path : '(no scope)';
  return id === undefined ? base : `${base}/${String(id)}`;
}

/**
 * Names a sidecar of a construct for error messages.
 * @internal
 */
export function sidecarLocation(path: string, sidecar: string): string {
  return `${path}: sidecar "${sidecar}"`;
}

/**
 * Quotes a user value for an error message.
 * @internal
 */
export function show(value: unknown): string {
  // JSON.stringify writes NaN and the infinities as null, and cannot write a function or a symbol at all.
  if (value === undefined || typeof value === 'number' || typeof value === 'function' || typeof value === 'symbol' || typeof value === 'bigint') {
    return typeof value === 'function' ? 'a function' : String(value);
  }
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
