/**
 * Builds the library's errors, so that every message has the same shape:
 * where (construct path and sidecar), which field, what was wrong with which
 * value, and how to fix it.
 * @internal
 */
export function declarationError(where: string, field: string, problem: string, fix: string): Error {
  return new Error(`${where}: ${field} ${problem}. ${fix}`);
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
  if (value === undefined) {
    return 'undefined';
  }
  return JSON.stringify(value);
}
