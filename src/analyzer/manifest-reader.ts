import { createReadStream, promises as fs, Stats } from 'fs';
import * as path from 'path';
import { StringDecoder } from 'string_decoder';
import { YAMLException } from 'js-yaml';
import { Composer, CST, isMap, LineCounter, Parser } from 'yaml';
import { DocumentLimits, InputSyntaxError, JsonStream, tooDeep, tooLarge } from './json-stream';
import { loadKubernetesYaml, UnreadableValue } from './kubernetes-yaml';
import { isList } from '../private/rules/pod-template';

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
 * What one document may hold (--max-document-mib): a document or List item
 * above the size is reported, not read, and so is the rest of its input.
 * The depth keeps the parsers' recursion far from the stack's limit.
 * @internal
 */
export const DEFAULT_LIMITS: DocumentLimits = { maxSize: 256 * 2 ** 20, maxDepth: 256 };

/**
 * Reads files, directories (recursively: .yaml, .yml, .json; symbolic links
 * followed, loops reported; special files skipped) and `-` (standard
 * input), one document at a time: memory holds the largest document, or
 * List item, not the stream. Yields every readable document and a
 * `file:line` for everything else.
 * @internal
 */
export async function* readInputs(
  paths: readonly string[], stdin: () => AsyncIterable<string | Buffer>, limits: DocumentLimits = DEFAULT_LIMITS,
): AsyncGenerator<InputEvent> {
  for (const input of paths) {
    if (input === '-') {
      yield* readStream(STDIN, stdin(), limits);
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
    yield* stats.isDirectory() ? readDirectory(input, stats, new Set(), limits) : readFile(input, limits);
  }
}

async function* readDirectory(dir: string, self: Stats, ancestors: ReadonlySet<string>, limits: DocumentLimits): AsyncGenerator<InputEvent> {
  const id = `${self.dev}:${self.ino}`;
  if (ancestors.has(id)) {
    yield { error: { file: dir, message: 'skipped: a symbolic link to a directory that contains it (a loop)', skipped: true } };
    return;
  }
  const inside = new Set([...ancestors, id]);
  let entries;
  try {
    entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  } catch (e: any) {
    yield { error: { file: dir, message: `cannot read: ${osMessage(e)}` } };
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    const manifest = MANIFEST_FILE.test(entry.name);
    if (!manifest && !entry.isDirectory() && !entry.isSymbolicLink()) {
      continue;
    }
    let stats: Stats;
    try {
      stats = await fs.stat(full);
    } catch (e: any) {
      if (manifest) {
        yield { error: { file: full, message: `cannot read: ${osMessage(e)}` } };
      }
      continue;
    }
    if (stats.isDirectory()) {
      yield* readDirectory(full, stats, inside, limits);
    } else if (!manifest) {
      continue;
    } else if (stats.isFile()) {
      yield* readFile(full, limits);
    } else {
      // Reading a FIFO would wait for a writer forever; a device never ends.
      yield { error: { file: full, message: `skipped: not a regular file (${specialKind(stats)})`, skipped: true } };
    }
  }
}

function specialKind(stats: Stats): string {
  return stats.isFIFO() ? 'a FIFO' : stats.isSocket() ? 'a socket' : stats.isCharacterDevice() || stats.isBlockDevice() ? 'a device' : 'a special file';
}

async function* readFile(file: string, limits: DocumentLimits): AsyncGenerator<InputEvent> {
  try {
    yield* readStream(file, createReadStream(file), limits);
  } catch (e: any) {
    yield { error: { file, message: `cannot read: ${osMessage(e)}` } };
  }
}

/** Text held since the start of a document, or of a List item: whole chunks, joined once when it ends. */
interface Held {
  pieces: string[];
  size: number;
  firstLine: number;
}

/** A line that is `items:` alone, at the top level: where a YAML List's items may start. */
const ITEMS_KEY = /^items:[ \t]*(#.*)?\r?$/;
/** An entry of a block sequence, and its indentation. */
const ENTRY = /^( *)-([ \t]|\r?$)/;
const BLANK = /^[ \t]*(#|\r?$)/;
/** The first characters of a line, enough to tell what it is (longer lines are plain content). */
const HEAD = 256;

/**
 * Splits a stream into documents at `---` and `...` lines, and reads each on
 * its own, so that a 100 MB stream never sits in memory whole. A document
 * that starts with `{` is JSON, read item by item by JsonStream. A YAML
 * document with a top-level `items:` followed by block sequence entries (as
 * `kubectl get -o yaml` prints a List) is cut at its entries and each item
 * parsed on its own. Each chunk is scanned once, and a document's text
 * joined once: time is linear in the input, even for one long line.
 */
async function* readStream(file: string, chunks: AsyncIterable<string | Buffer>, limits: DocumentLimits): AsyncGenerator<InputEvent> {
  const decoder = new StringDecoder('utf8');
  const events: InputEvent[] = [];
  let lineNumber = 1;
  let index = 0;
  let held: Held = { pieces: [], size: 0, firstLine: 1 };
  /** The current line: where it starts in the held text, its first characters, whether it is blank so far. */
  let lineStart = 0;
  let head = '';
  let content = false;
  let json: JsonStream | undefined;
  /** The JSON document's text until its first value is out: a YAML flow mapping starts with `{` too. */
  let jsonText: string[] | undefined;
  let jsonLine = 0;
  /** A YAML List being cut into items: the text before its items, their indentation, the line where its text after them starts. */
  let list: { envelope: string; envelopeLine: number; indent: number; tail?: number } | undefined;
  let itemsKey: { envelope: string; envelopeLine: number } | undefined;
  let noList = false;
  /** A line of this document that starts with `---` and has more than a comment after it: kubectl refuses the file. */
  let badSeparator: { line: number; rest: string } | undefined;

  const text = (h: Held) => (h.pieces.length === 1 ? h.pieces[0] : h.pieces.join(''));
  /** Splits the held text at offset `at`: returns what is before, keeps the rest (starting at `line`). */
  const cut = (at: number, line: number): Held => {
    const before: string[] = [];
    let offset = at;
    let k = 0;
    while (k < held.pieces.length && offset >= held.pieces[k].length && offset > 0) {
      offset -= held.pieces[k].length;
      before.push(held.pieces[k++]);
    }
    const rest = held.pieces.slice(k);
    if (offset > 0) {
      before.push(rest[0].slice(0, offset));
      rest[0] = rest[0].slice(offset);
    }
    const done = { pieces: before, size: at, firstLine: held.firstLine };
    held = { pieces: rest, size: held.size - at, firstLine: line };
    lineStart -= at;
    return done;
  };
  const document = (value: any, line: number) => {
    jsonText = undefined;
    for (const [item] of listItems(value, undefined, 0)) {
      events.push({ document: { file, document: index, line, value: item } });
    }
  };
  const item = (at: number, line: number) => {
    const done = cut(at, line);
    if (done.size > 0) {
      events.push(...parseYaml(file, text(done), done.firstLine, index, limits, { item: true }));
    }
  };
  const endDocument = (at: number, line: number) => {
    if (badSeparator) {
      // kubectl's document reader stops at it; the document is not read here either.
      events.push({ error: { file, line: badSeparator.line, message: `invalid document separator: "---" followed by "${badSeparator.rest}" (kubectl refuses it: only a comment may follow ---)` } });
      cut(at, line);
      badSeparator = undefined;
      list = undefined;
      itemsKey = undefined;
      noList = false;
      content = false;
      index++;
      return;
    }
    if (list) {
      let tail = { pieces: [] as string[], size: 0, firstLine: line };
      if (list.tail === undefined) {
        item(at, line);
      } else {
        tail = cut(at, line);
      }
      // What is around the items (kind, metadata) only for its errors: the items are read.
      events.push(...parseYaml(file, list.envelope + text(tail), list.envelopeLine, index, limits,
        { errorsOnly: true, splitAt: list.envelope.length, splitLine: tail.firstLine }));
      index++;
    } else {
      const done = cut(at, line);
      if (itemsKey) {
        events.push(...parseYaml(file, itemsKey.envelope + text(done), itemsKey.envelopeLine, index++, limits, {}));
      } else if (content || (done.firstLine > 1 && done.size > 0)) {
        // Text before the first marker that holds only comments and blanks is no document.
        events.push(...parseYaml(file, text(done), done.firstLine, index++, limits, {}));
      }
    }
    list = undefined;
    itemsKey = undefined;
    noList = false;
    content = false;
  };
  /** A complete line, from `lineStart` to `end` (past its newline) in the held text. */
  const line = (end: number) => {
    const length = end - lineStart;
    const marker = (head[0] === '-' || head[0] === '.') && DOCUMENT_MARKER.test(head.slice(0, 4));
    const blank = BLANK.test(head);
    if (marker && head[0] === '-') {
      endDocument(lineStart, lineNumber);
      content = /^---[ \t]+[^#\s]/.test(head);
    } else if (marker) {
      endDocument(end, lineNumber + 1);
    } else if (list) {
      if (list.tail === undefined && !blank) {
        const entry = ENTRY.exec(head);
        const indent = head.length - head.trimStart().length;
        if (entry && entry[1].length === list.indent) {
          item(lineStart, lineNumber);
        } else if (indent < list.indent || (indent === 0 && list.indent === 0)) {
          item(lineStart, lineNumber);
          list.tail = lineNumber;
        }
      }
    } else if (itemsKey) {
      if (!blank) {
        const entry = ENTRY.exec(head);
        if (entry) {
          // kubectl's form: the items one by one; what came before them is the List's envelope.
          list = { ...itemsKey, indent: entry[1].length };
          cut(lineStart, lineNumber);
        } else {
          held = { pieces: [itemsKey.envelope, ...held.pieces], size: held.size + itemsKey.envelope.length, firstLine: itemsKey.envelopeLine };
          lineStart += itemsKey.envelope.length;
          noList = true;
        }
        itemsKey = undefined;
      }
    } else if (!noList && head.length < HEAD && ITEMS_KEY.test(head)) {
      const envelope = cut(end, lineNumber + 1);
      itemsKey = { envelope: text(envelope), envelopeLine: envelope.firstLine };
    }
    if (head.startsWith('---')) {
      const rest = head.slice(3).trim();
      if (rest !== '' && rest[0] !== '#') {
        badSeparator ??= { line: lineNumber, rest };
      }
    }
    content ||= !blank && !marker;
    lineStart += length;
    head = '';
    lineNumber++;
  };

  try {
    for await (const input of chunks) {
      const queue = [typeof input === 'string' ? input : decoder.write(input)];
      while (queue.length > 0) {
        let chunk = queue.shift()!;
        let pos = 0;
        while (pos < chunk.length) {
          if (json) {
            let end;
            try {
              jsonText?.push(pos === 0 ? chunk : chunk.slice(pos));
              end = json.write(chunk, pos);
            } catch (e) {
              if (!(e instanceof InputSyntaxError) || !e.syntax || !jsonText) {
                throw e;
              }
              // Not JSON: read it again as YAML.
              queue.unshift(...jsonText);
              json = jsonText = undefined;
              lineNumber = jsonLine;
              held = { pieces: [], size: 0, firstLine: lineNumber };
              content = true;
              break;
            }
            if (end < 0) {
              break;
            }
            lineNumber = json.currentLine;
            json = jsonText = undefined;
            chunk = chunk.slice(end);
            pos = 0;
            held = { pieces: [], size: 0, firstLine: lineNumber };
            lineStart = 0;
            index++;
            continue;
          }
          if (pos === 0) {
            held.pieces.push(chunk);
            held.size += chunk.length;
          }
          if (!content && !list && !itemsKey && head.trim() === '') {
            // A document that starts with `{` is JSON (kubectl get -o json): read item by item.
            let j = pos;
            while (j < chunk.length && (chunk[j] === ' ' || chunk[j] === '\t')) {
              j++;
            }
            if (chunk[j] === '{') {
              held = { pieces: [], size: 0, firstLine: lineNumber };
              lineStart = 0;
              json = new JsonStream(lineNumber, limits, document);
              jsonText = [];
              jsonLine = lineNumber;
              chunk = chunk.slice(j);
              pos = 0;
              continue;
            }
          }
          const newline = chunk.indexOf('\n', pos);
          const stop = newline < 0 ? chunk.length : newline;
          if (head.length < HEAD) {
            head += chunk.slice(pos, Math.min(stop, pos + HEAD - head.length));
          }
          if (newline < 0) {
            break;
          }
          line(held.size - chunk.length + newline + 1);
          pos = newline + 1;
        }
      }
      yield* events.splice(0);
      if (held.size > limits.maxSize) {
        throw new InputSyntaxError(held.firstLine, tooLarge(limits));
      }
    }
    const last = decoder.end();
    if (json) {
      json.write(last, 0);
      try {
        json.end();
      } catch (e) {
        if (!jsonText) {
          throw e;
        }
        // Not JSON: a YAML flow mapping.
        events.push(...parseYaml(file, jsonText.join('') + last, jsonLine, index++, limits, {}));
      }
    } else {
      held.pieces.push(last);
      held.size += last.length;
      head += last.slice(0, HEAD);
      if (head !== '') {
        line(held.size);
      }
      endDocument(held.size, lineNumber);
    }
    yield* events.splice(0);
  } catch (e) {
    yield* events.splice(0);
    if (!(e instanceof InputSyntaxError)) {
      throw e;
    }
    // The rest of this input is not read: where the next document starts is not known.
    yield { error: { file, line: e.line, message: e.message } };
  }
}

/** How parseYaml reads a text: a List item (a sequence entry), only for its errors, with lines that jump at `splitAt`. */
interface YamlOptions {
  readonly item?: boolean;
  readonly errorsOnly?: boolean;
  readonly splitAt?: number;
  readonly splitLine?: number;
}

/**
 * Reads a text (one document, or one List item) with js-yaml as kubectl
 * does (kubernetes-yaml.ts); `yaml` only where a line is needed that the
 * document's own does not give: an error, the items of a List.
 */
function parseYaml(file: string, text: string, firstLine: number, index: number, limits: DocumentLimits, options: YamlOptions): InputEvent[] {
  let values: any[];
  try {
    values = loadKubernetesYaml(text, limits.maxDepth);
  } catch (e: any) {
    const located = composeYaml(file, text, firstLine, index, limits, { ...options, errorsOnly: true });
    if (located.length > 0) {
      return located;
    }
    if (e instanceof RangeError) {
      // Aliases nested in aliases, deeper than the stack: too deep, wherever it is.
      return [{ error: { file, line: firstLine + leadingBlankLines(text), message: tooDeep(limits) } }];
    }
    if (!(e instanceof YAMLException) && !(e instanceof UnreadableValue)) {
      throw e;
    }
    const line = e instanceof YAMLException && e.mark ? firstLine + e.mark.line : firstLine + leadingBlankLines(text);
    return [{ error: { file, line, message: e instanceof YAMLException ? e.reason : e.message } }];
  }
  if (options.errorsOnly) {
    return [];
  }
  // Deeper than the limit (or aliases that expand without bound): `yaml` says where.
  if (values.some(v => !withinLimits(v, limits.maxDepth, ALIAS_EXPANSION * text.length + 10_000))) {
    const located = composeYaml(file, text, firstLine, index, limits, { ...options, errorsOnly: true });
    return located.length > 0 ? located : [{ error: { file, line: firstLine + leadingBlankLines(text), message: tooDeep(limits) } }];
  }
  const value = values[0];
  const itemValue = options.item && Array.isArray(value) && value.length === 1 ? value[0] : undefined;
  if (values.length !== 1 || (options.item ? itemValue === undefined || isList(itemValue) : isList(value))) {
    return composeYaml(file, text, firstLine, index, limits, options, values);
  }
  const v = options.item ? itemValue : value;
  if (v === null || v === undefined) {
    return [];
  }
  return [{ document: { file, document: index, line: firstLine + leadingBlankLines(text), value: v } }];
}

/** How many times its text a document may grow through aliases (go-yaml refuses excessive aliasing too). */
const ALIAS_EXPANSION = 100;

/** Whether no collection in `value` is nested deeper than `max`, and it holds at most `budget` entries (aliases repeat a node). */
function withinLimits(value: any, max: number, budget: number): boolean {
  // Two stacks, not one of pairs: nothing allocated per node.
  const stack: any[] = [value];
  const depths: number[] = [1];
  let entries = 0;
  while (stack.length > 0) {
    const v = stack.pop();
    const depth = depths.pop()!;
    if (v === null || typeof v !== 'object') {
      continue;
    }
    if (depth > max) {
      return false;
    }
    if (Array.isArray(v)) {
      entries += v.length;
      for (const child of v) {
        if (child !== null && typeof child === 'object') {
          stack.push(child);
          depths.push(depth + 1);
        }
      }
    } else {
      for (const key in v) {
        entries++;
        const child = v[key];
        if (child !== null && typeof child === 'object') {
          stack.push(child);
          depths.push(depth + 1);
        }
      }
    }
    if (entries > budget) {
      return false;
    }
  }
  return true;
}

/** Lines before a document's first content: blank, comment, directive and `---` lines, where `yaml` puts a document's start too. */
function leadingBlankLines(text: string): number {
  let lines = 0;
  let at = 0;
  for (;;) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    if (end < 0 || !SKIPPED_LINE.test(line)) {
      return lines;
    }
    lines++;
    at = end + 1;
  }
}
const SKIPPED_LINE = /^([ \t]*(#.*)?|%.*)\r?$/;

/**
 * Reads a text with `yaml`, which knows where each node is: for the errors
 * and the lines of List items. The values are `values` (js-yaml's, as
 * kubectl reads them) when given.
 */
function composeYaml(
  file: string, text: string, firstLine: number, index: number, limits: DocumentLimits, options: YamlOptions, values?: any[],
): InputEvent[] {
  const lines = new LineCounter();
  const splitAt = options.splitAt ?? Infinity;
  const lineOf = (offset: number) => (offset >= splitAt
    ? options.splitLine! + lines.linePos(offset).line - lines.linePos(splitAt).line
    : firstLine + lines.linePos(offset).line - 1);
  const events: InputEvent[] = [];
  const tokens = [...new Parser(lines.addNewLine).parse(text)];
  for (const token of tokens) {
    const deep = prepareTree(token, limits.maxDepth);
    if (deep !== undefined) {
      return [{ error: { file, line: lineOf(deep), message: tooDeep(limits) } }];
    }
  }
  let k = 0;
  for (const doc of new Composer({}).compose(tokens)) {
    const given = values?.[k++];
    const error = doc.errors[0];
    if (error) {
      events.push({ error: { file, line: lineOf(error.pos[0]), message: error.message.split('\n')[0] } });
      continue;
    }
    if (options.errorsOnly) {
      continue;
    }
    let value = given;
    try {
      value ??= doc.toJS({ maxAliasCount: 1000 });
    } catch (e: any) {
      events.push({ error: { file, line: lineOf(doc.range[0]), message: e.message.split('\n')[0] } });
      continue;
    }
    const node: any = doc.contents;
    // A document is at its first line (or its --- marker), a List item at its own.
    const entries: Array<[any, any, number]> = options.item && Array.isArray(value)
      ? value.map((v, i) => [v, node?.items?.[i], node?.items?.[i]?.range?.[0] ?? doc.range[0]])
      : [[value, node, doc.range[0]]];
    for (const [v, n, offset] of entries) {
      for (const [item, at] of listItems(v, n, offset)) {
        events.push({ document: { file, document: index, line: lineOf(at), value: item } });
      }
    }
  }
  return events;
}

/** A value, or the items of a List (an object whose `items` is an array, as kubectl decides), Lists in Lists too, with their offsets. */
function* listItems(value: any, node: any, offset: number): Generator<[any, number]> {
  if (value === null || value === undefined) {
    return;
  }
  if (!isList(value)) {
    yield [value, offset];
    return;
  }
  const items: any[] = (isMap(node) ? (node.get('items', true) as any)?.items : undefined) ?? [];
  for (const [i, item] of value.items.entries()) {
    yield* listItems(item, items[i], items[i]?.range?.[0] ?? offset);
  }
}

/**
 * Walks a YAML syntax tree without recursion (it may be deep): returns the
 * offset of the first collection nested deeper than `max`, if any, and
 * rewrites each long double-quoted scalar on one line as the single-quoted
 * scalar of the same value, which `yaml` reads in linear time and memory
 * (its double-quoted reader builds the value a character at a time: 20 MB
 * took 15 s and 760 MB).
 */
function prepareTree(token: CST.Token, max: number): number | undefined {
  const stack: Array<[any, number]> = [[token, 0]];
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (!t) {
      continue;
    }
    if (t.type === 'document') {
      stack.push([t.value, depth]);
    } else if (t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection') {
      if (depth + 1 > max) {
        return t.offset;
      }
      for (const entry of t.items) {
        stack.push([entry.key, depth + 1], [entry.value, depth + 1]);
      }
    } else if (t.type === 'double-quoted-scalar' && t.source.length > LONG_SCALAR) {
      const value = doubleQuoted(t.source);
      if (value !== undefined) {
        t.type = 'single-quoted-scalar';
        t.source = `'${value.replace(/'/g, "''")}'`;
      }
    }
  }
  return undefined;
}

const LONG_SCALAR = 4096;
const ESCAPES: { readonly [c: string]: string } = {
  '0': '\0',
  'a': '\x07',
  'b': '\b',
  't': '\t',
  '\t': '\t',
  'n': '\n',
  'v': '\v',
  'f': '\f',
  'r': '\r',
  'e': '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  'N': '\x85',
  '_': '\xa0',
  'L': '\u2028',
  'P': '\u2029',
};
/** What a single-quoted scalar on one line holds as it is: printable characters but tabs and line breaks. */
const SINGLE_QUOTABLE = /^[\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
const ESCAPE = /\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^xuU])/g;

/** The value of a double-quoted scalar on one line, if a single-quoted scalar can hold it; else undefined (yaml reads it, and says what is wrong). */
function doubleQuoted(source: string): string | undefined {
  const body = source.slice(1, -1);
  // An escaped closing quote: the scalar is not closed, and yaml says so.
  const backslashes = /\\*$/.exec(body)![0].length;
  if (!source.endsWith('"') || backslashes % 2 === 1 || /[\n\r]/.test(body)) {
    return undefined;
  }
  let bad = false;
  const value = body.replace(ESCAPE, (_m, e: string) => {
    if (e.length > 1) {
      const code = parseInt(e.slice(1), 16);
      bad ||= code > 0x10ffff;
      return bad ? '' : String.fromCodePoint(code);
    }
    bad ||= !(e in ESCAPES);
    return ESCAPES[e] ?? '';
  });
  // A backslash left over (`\x` without its digits) is an invalid escape.
  if (bad || body.replace(ESCAPE, '').includes('\\')) {
    return undefined;
  }
  return SINGLE_QUOTABLE.test(value) ? value : undefined;
}

/** An OS error as people read it: "no such file or directory", not ENOENT. */
function osMessage(e: any): string {
  const message = String(e?.message ?? e);
  // Node's messages read "ENOENT: no such file or directory, open 'x'".
  const match = /^[A-Z0-9_]+: ([^,]+)/.exec(message);
  return match ? match[1] : message;
}
