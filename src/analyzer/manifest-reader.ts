import { createReadStream, promises as fs, Stats } from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { Document, LineCounter, parseAllDocuments } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * One parsed document (or one item of a `kind: List`) and where it came from.
 * @internal
 */
export interface InputDocument {
  readonly file: string;
  /** Index of the document in its file. */
  readonly document: number;
  /** 1-based line where the document (or the List item) starts. */
  readonly line: number;
  readonly value: any;
}

/**
 * Input that could not be read or parsed (`line` undefined: the file itself),
 * or a file skipped on purpose (`skipped`: not an error).
 * @internal
 */
export interface InputError {
  readonly file: string;
  readonly line?: number;
  readonly message: string;
  readonly skipped?: boolean;
}

/** @internal */
export type InputEvent = { readonly document: InputDocument } | { readonly error: InputError };

/** Name shown for standard input. */
const STDIN = '<stdin>';
const MANIFEST_FILE = /\.(ya?ml|json)$/;
/** A line that starts or ends a YAML document: YAML forbids it inside any scalar. */
const DOCUMENT_MARKER = /^(---|\.\.\.)(\s|$)/;

/**
 * Reads files, directories (recursively: .yaml, .yml, .json; special files
 * skipped) and `-` (standard input), one document at a time: memory holds
 * the largest document, not the stream. JSON is YAML. Yields every readable
 * document and a `file:line` for everything else.
 * @internal
 */
export async function* readInputs(
  paths: readonly string[], stdin: () => AsyncIterable<string | Buffer>,
): AsyncGenerator<InputEvent> {
  for (const input of paths) {
    if (input === '-') {
      yield* readStream(STDIN, stdin());
      continue;
    }
    let stats: Stats;
    try {
      stats = await fs.stat(input);
    } catch (e: any) {
      yield { error: { file: input, message: `cannot read: ${osMessage(e)}` } };
      continue;
    }
    // A file named on the command line is read whatever it is (a pipe from <(...) is fine).
    yield* stats.isDirectory() ? readDirectory(input) : readFile(input);
  }
}

async function* readDirectory(dir: string): AsyncGenerator<InputEvent> {
  let entries;
  try {
    entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e: any) {
    yield { error: { file: dir, message: `cannot read: ${osMessage(e)}` } };
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      yield* readDirectory(full);
    } else if (MANIFEST_FILE.test(entry.name)) {
      let stats: Stats;
      try {
        stats = await fs.stat(full);
      } catch (e: any) {
        yield { error: { file: full, message: `cannot read: ${osMessage(e)}` } };
        continue;
      }
      // Reading a FIFO would wait for a writer forever; a device never ends.
      if (stats.isFile()) {
        yield* readFile(full);
      } else if (!stats.isDirectory()) {
        yield { error: { file: full, message: `skipped: not a regular file (${specialKind(stats)})`, skipped: true } };
      }
    }
  }
}

function specialKind(stats: Stats): string {
  return stats.isFIFO() ? 'a FIFO' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'a special file';
}

async function* readFile(file: string): AsyncGenerator<InputEvent> {
  try {
    yield* readStream(file, createReadStream(file));
  } catch (e: any) {
    yield { error: { file, message: `cannot read: ${osMessage(e)}` } };
  }
}

/**
 * Splits a stream into YAML documents at `---` and `...` lines, and parses
 * each on its own, so that a 100 MB stream never sits in memory whole.
 */
async function* readStream(file: string, chunks: AsyncIterable<string | Buffer>): AsyncGenerator<InputEvent> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let lines: string[] = [];
  let firstLine = 1;
  let lineNumber = 0;
  let index = 0;
  const flush = function* (): Generator<InputEvent> {
    if (lines.length > 0) {
      const text = lines.join('\n');
      // Text before the first marker that holds only comments and blanks is no document.
      if (firstLine > 1 || DOCUMENT_MARKER.test(lines[0]) || /^\s*[^#\s]/m.test(text)) {
        yield* parseDocument(file, text, firstLine, index++);
      }
    }
    lines = [];
    firstLine = lineNumber + 1;
  };
  const take = function* (line: string): Generator<InputEvent> {
    lineNumber++;
    if ((line[0] === '-' || line[0] === '.') && DOCUMENT_MARKER.test(line)) {
      if (line[0] === '-') {
        lineNumber--;
        yield* flush();
        lineNumber++;
        lines.push(line);
      } else {
        lines.push(line);
        yield* flush();
      }
      return;
    }
    lines.push(line);
  };
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
    let start = 0;
    let end: number;
    while ((end = pending.indexOf('\n', start)) >= 0) {
      yield* take(pending.slice(start, end));
      start = end + 1;
    }
    pending = pending.slice(start);
  }
  pending += decoder.end();
  if (pending.length > 0) {
    yield* take(pending);
  }
  yield* flush();
}

function* parseDocument(file: string, text: string, firstLine: number, index: number): Generator<InputEvent> {
  // JSON (kubectl get -o json) parses many times faster as JSON; a List is read as YAML for its items' lines.
  const json = /^\s*\{/.test(text) ? parseJson(text) : undefined;
  if (json !== undefined && json !== null && json.kind !== 'List') {
    const blankLines = text.slice(0, text.search(/\S/)).split('\n').length - 1;
    yield { document: { file, document: index, line: firstLine + blankLines, value: json } };
    return;
  }
  const lines = new LineCounter();
  const lineOf = (offset: number) => firstLine + lines.linePos(offset).line - 1;
  const parsed = parseAllDocuments(text, { lineCounter: lines });
  for (const doc of Array.isArray(parsed) ? parsed : []) {
    if (doc.errors.length > 0) {
      const error = doc.errors[0];
      yield { error: { file, line: lineOf(error.pos[0]), message: error.message.split('\n')[0] } };
      continue;
    }
    let value;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (e: any) {
      yield { error: { file, line: lineOf(doc.range[0]), message: e.message.split('\n')[0] } };
      continue;
    }
    if (value === null || value === undefined) {
      continue;
    }
    const items = listItems(doc, value);
    if (items) {
      // Each item of a kind: List at its own line.
      for (const [i, item] of value.items.entries()) {
        yield { document: { file, document: index, line: lineOf(items[i]?.range?.[0] ?? doc.range[0]), value: item } };
      }
    } else {
      yield { document: { file, document: index, line: lineOf(doc.range[0]), value } };
    }
  }
}

/** The value of a JSON text; undefined if it is not JSON (then it is YAML). */
function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The item nodes of a `kind: List` document, for their lines. */
function listItems(doc: Document, value: any): any[] | undefined {
  if (value === null || typeof value !== 'object' || value.kind !== 'List' || !Array.isArray(value.items)) {
    return undefined;
  }
  const node: any = doc.get('items', true);
  return Array.isArray(node?.items) ? node.items : [];
}

/** An OS error as people read it: "no such file or directory", not ENOENT. */
function osMessage(e: any): string {
  const message = String(e?.message ?? e);
  // Node's messages read "ENOENT: no such file or directory, open 'x'".
  const match = /^[A-Z0-9_]+: ([^,]+)/.exec(message);
  return match ? match[1] : message;
}
