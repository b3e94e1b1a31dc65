/**
 * A report's file as the CI tools want it: relative to the working directory
 * (the repository's checkout), with `/` separators.
 * @internal
 */
import * as path from 'path';

/** @internal */
export interface FileLocation {
  /** Relative to `cwd`, with `/`; undefined when the file is outside it or is standard input. */
  readonly relative?: string;
  /** The path as reported (`<stdin>` for standard input). */
  readonly given: string;
  /** The absolute path; undefined for standard input. */
  readonly absolute?: string;
}

/** @internal */
export function fileLocation(file: string, cwd: string): FileLocation {
  if (file === '<stdin>') {
    return { given: file };
  }
  const absolute = path.resolve(cwd, file);
  const relative = path.relative(cwd, absolute);
  const inside = relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  return { given: file, absolute, ...(inside ? { relative: relative.split(path.sep).join('/') } : {}) };
}
