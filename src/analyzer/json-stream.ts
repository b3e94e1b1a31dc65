/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Limits on what one document may hold.
 * @internal
 */
export interface DocumentLimits {
  /** Characters of one document, or of one item of a List. */
  readonly maxSize: number;
  /** Nesting of objects and arrays. */
  readonly maxDepth: number;
}

/**
 * Input that cannot be read: where, and why.
 * @internal
 */
export class InputSyntaxError extends Error {
  /** `syntax`: the text is not JSON (it may be YAML); else it is JSON that cannot be read (a duplicate key, too deep, too large). */
  constructor(readonly line: number, message: string, readonly syntax = true) {
    super(message);
  }
}

/**
 * The message for a document over the size limit.
 * @internal
 */
export function tooLarge(limits: DocumentLimits): string {
  return `document too large: over ${limits.maxSize / 2 ** 20} MiB (--max-document-mib)`;
}

/**
 * The message for a document nested too deep.
 * @internal
 */
export function tooDeep(limits: DocumentLimits): string {
  return `nested deeper than ${limits.maxDepth} levels`;
}

const QUOTE = 0x22; const COLON = 0x3a; const COMMA = 0x2c;
const OPEN_OBJECT = 0x7b; const CLOSE_OBJECT = 0x7d; const OPEN_ARRAY = 0x5b; const CLOSE_ARRAY = 0x5d;
const NEWLINE = 0x0a; const SPACE = 0x20; const TAB = 0x09; const CR = 0x0d;

/** A List's `items` being streamed: the text before them, their keys, and where the reader is between them. */
interface ListState {
  readonly envelopeStart: string;
  readonly keysBefore: number;
  /** Colons seen when the items' `]` closed. */
  colonsAtEnd?: number;
  /** An item was just read: a `,` or the `]` comes next. */
  afterElement: boolean;
  /** Set once an item has started (a `]` right after a `,` is an error). */
  elementStart?: boolean;
}

/** An object that may be a List (the document, or an item of a List being streamed). */
interface Frame {
  /** Nesting depth inside the object's braces. */
  readonly depth: number;
  readonly line: number;
  /** Colons (= keys) seen before the object's `{`. */
  readonly colonsBefore: number;
  /** Set once its `items` array is being streamed. */
  list?: ListState;
  /** Whether the next string at the object's own level is a key. */
  expectKey: boolean;
  /** The key just read at the object's own level was `items`, and its value has not started. */
  itemsKey: boolean;
}

/**
 * Reads one JSON document from chunks of text as they come, and hands over
 * each complete value: the document itself or, when it is a List (an object
 * whose `items` is an array, as `kubectl` decides), each of its items, and the
 * items of Lists inside it, as soon as each is complete. It holds one item at
 * a time, never the List. Each value's text is found by a scan that tracks
 * only strings, brackets and lines, then parsed by `JSON.parse`; a duplicate
 * key (which `JSON.parse` would let the last win) or a syntax error is found
 * again by a strict, slower parse of that one value, for its exact line and
 * a readable message. Time is linear in the input.
 * @internal
 */
export class JsonStream {
  private line: number;
  private readonly stack: number[] = [];
  private readonly frames: Frame[] = [];
  private inString = false;
  private escaped = false;
  private colons = 0;
  /** Text of the value being captured: pieces of earlier chunks, and where it starts in this one. */
  private pieces: string[] = [];
  private captureSize = 0;
  private captureFrom = -1;
  private captureLine = 0;
  /** A string at a frame's own level, while it may be `items` (the first characters). */
  private keyText: string | undefined;
  /** An item of a streamed List that is not an object: captured until the `,` or `]` that ends it. */
  private scalarItem = false;
  private started = false;
  private done = false;

  constructor(firstLine: number, private readonly limits: DocumentLimits, private readonly emit: (value: any, line: number) => void) {
    this.line = firstLine;
  }

  /** The line being read. */
  get currentLine(): number {
    return this.line;
  }

  /**
   * Reads `chunk` from `start`, which for the first chunk must be the
   * document's `{`. Returns where the document ends (past the rest of its
   * last line), or -1 when it needs more. Throws InputSyntaxError.
   */
  write(chunk: string, start: number): number {
    const stack = this.stack;
    let i = start;
    let backslash = chunk.indexOf('\\', i);
    if (this.captureFrom < 0 && this.capturing()) {
      this.captureFrom = i;
    }
    const n = chunk.length;
    if (!this.started) {
      this.started = true;
      this.push(chunk.charCodeAt(i));
      this.frames.push({ depth: 1, line: this.line, colonsBefore: 0, expectKey: true, itemsKey: false });
      this.startCapture(i, this.line);
      i++;
    }
    while (i < n) {
      if (this.done) {
        // After the document: the rest of its line may hold blanks only.
        const c = chunk.charCodeAt(i);
        if (c === NEWLINE) {
          this.line++;
          return i + 1;
        }
        if (c !== SPACE && c !== TAB && c !== CR) {
          throw new InputSyntaxError(this.line, `unexpected ${JSON.stringify(chunk[i])} after the JSON document`);
        }
        i++;
        continue;
      }
      if (this.inString) {
        if (this.escaped) {
          this.escaped = false;
          i++;
          continue;
        }
        const quote = chunk.indexOf('"', i);
        if (backslash >= 0 && backslash < i) {
          backslash = chunk.indexOf('\\', i);
        }
        if (backslash >= 0 && (quote < 0 || backslash < quote)) {
          this.keyPiece(chunk, i, backslash);
          this.keyText = undefined; // an escaped key is not taken for `items`: the List is then expanded after parsing
          i = backslash + 1;
          this.escaped = true;
          continue;
        }
        if (quote < 0) {
          this.keyPiece(chunk, i, n);
          i = n;
          continue;
        }
        this.keyPiece(chunk, i, quote);
        this.inString = false;
        i = quote + 1;
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (c === SPACE || c === NEWLINE || c === TAB || c === CR) {
        if (c === NEWLINE) {
          this.line++;
        }
        i++;
        continue;
      }
      const frame = this.frames[this.frames.length - 1];
      const list = frame?.list;
      if (list && list.colonsAtEnd === undefined && stack.length === frame.depth + 1 && !this.scalarItem) {
        // Between the items of a streamed List: only `,` and `]`, in turn.
        if (c === COMMA && list.afterElement) {
          list.afterElement = false;
          i++;
          continue;
        }
        if (c === CLOSE_ARRAY && (list.afterElement || list.elementStart === undefined)) {
          stack.pop();
          list.colonsAtEnd = this.colons;
          frame.expectKey = false;
          this.startCapture(i, this.line);
          i++;
          continue;
        }
        if (list.afterElement || c === COMMA || c === CLOSE_ARRAY) {
          throw new InputSyntaxError(this.line, `expected "," or "]" between the items of the List, found ${JSON.stringify(chunk[i])}`);
        }
        list.elementStart = true;
        this.startCapture(i, this.line);
        if (c === OPEN_OBJECT) {
          this.push(c);
          this.frames.push({ depth: stack.length, line: this.line, colonsBefore: this.colons, expectKey: true, itemsKey: false });
          i++;
          continue;
        }
        this.scalarItem = true;
      }
      if (this.scalarItem && stack.length === frame.depth + 1 && (c === COMMA || c === CLOSE_ARRAY)) {
        this.scalarItem = false;
        const line = this.captureLine;
        const text = this.endCapture(chunk, i).trimEnd();
        frame.list!.afterElement = true;
        this.emitValue(text, line, strictParse(text, line, this.limits).keys);
        continue; // the `,` or `]` again, between items
      }
      const own = frame !== undefined && stack.length === frame.depth;
      if (c === QUOTE) {
        this.inString = true;
        this.keyText = own && frame.expectKey ? '' : undefined;
        i++;
        continue;
      }
      if (own && frame.itemsKey) {
        frame.itemsKey = false;
        if (c === OPEN_ARRAY && frame.list === undefined) {
          // A List: what is around its items is kept apart, its items are read one by one.
          this.push(c);
          const envelopeStart = this.endCapture(chunk, i + 1);
          frame.list = { envelopeStart, keysBefore: this.colons - frame.colonsBefore, afterElement: false };
          i++;
          continue;
        }
      }
      switch (c) {
        case OPEN_OBJECT:
        case OPEN_ARRAY:
          this.push(c);
          break;
        case CLOSE_OBJECT:
        case CLOSE_ARRAY:
          stack.pop();
          if (frame !== undefined && stack.length === frame.depth - 1) {
            this.frames.pop();
            this.closeFrame(frame, chunk, i + 1);
            if (this.frames.length === 0) {
              this.done = true;
            } else {
              this.frames[this.frames.length - 1].list!.afterElement = true;
            }
            i++;
            continue;
          }
          break;
        case COLON:
          this.colons++;
          if (own) {
            frame.itemsKey = this.keyText === 'items';
            frame.expectKey = false;
          }
          break;
        case COMMA:
          if (own) {
            frame.expectKey = true;
          }
          break;
      }
      this.keyText = undefined;
      i++;
    }
    if (this.capturing()) {
      this.pieces.push(this.captureFrom <= 0 ? chunk : chunk.slice(this.captureFrom));
      this.captureSize += n - Math.max(this.captureFrom, 0);
      this.captureFrom = -1;
      if (this.captureSize > this.limits.maxSize) {
        throw new InputSyntaxError(this.captureLine, tooLarge(this.limits), false);
      }
    }
    return -1;
  }

  /** At the end of the input: the document must be complete. */
  end(): void {
    if (!this.done) {
      throw new InputSyntaxError(this.line, 'unexpected end of the JSON document');
    }
  }

  private capturing(): boolean {
    return this.captureLine > 0;
  }

  private startCapture(at: number, line: number): void {
    this.pieces = [];
    this.captureSize = 0;
    this.captureFrom = at;
    this.captureLine = line;
  }

  /** The captured text up to `end` in this chunk; capturing stops. */
  private endCapture(chunk: string, end: number): string {
    const from = Math.max(this.captureFrom, 0);
    this.pieces.push(chunk.slice(from, end));
    const text = this.pieces.length === 1 ? this.pieces[0] : this.pieces.join('');
    if (text.length > this.limits.maxSize) {
      throw new InputSyntaxError(this.captureLine, tooLarge(this.limits), false);
    }
    this.pieces = [];
    this.captureLine = 0;
    this.captureFrom = -1;
    return text;
  }

  private keyPiece(chunk: string, from: number, to: number): void {
    if (this.keyText !== undefined) {
      this.keyText = this.keyText.length + to - from > 5 ? '-' : this.keyText + chunk.slice(from, to);
    }
  }

  private push(c: number): void {
    if (this.stack.length >= this.limits.maxDepth) {
      throw new InputSyntaxError(this.line, tooDeep(this.limits), false);
    }
    this.stack.push(c);
  }

  private closeFrame(frame: Frame, chunk: string, end: number): void {
    if (frame.list) {
      const rest = this.endCapture(chunk, end);
      const envelope = frame.list.envelopeStart + rest;
      // Line numbers of the envelope's end are those of the `]` onwards.
      const keys = frame.list.keysBefore + this.colons - frame.list.colonsAtEnd!;
      checkValue(envelope, frame.line, keys, this.limits, frame.list.envelopeStart.length, this.line - lineCount(rest));
    } else {
      const text = this.endCapture(chunk, end);
      this.emitValue(text, frame.line, this.colons - frame.colonsBefore);
    }
  }

  private emitValue(text: string, line: number, keys: number): void {
    this.emit(checkValue(text, line, keys, this.limits), line);
  }
}

function lineCount(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
    count++;
  }
  return count;
}

/**
 * Parses a value's text, which holds `keys` keys; a duplicate key or a
 * syntax error gets its line. `splitAt`/`splitLine`: from that offset on,
 * lines count from `splitLine` (a List's envelope, its items cut out).
 */
function checkValue(text: string, line: number, keys: number, limits: DocumentLimits, splitAt = Infinity, splitLine = 0): any {
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (value === undefined || countKeys(value) !== keys) {
    const error = strictParse(text, line, limits, splitAt, splitLine).error;
    throw error ?? new InputSyntaxError(line, 'invalid JSON');
  }
  return value;
}

/** Keys in a parsed value: fewer than in its text if a key was repeated. */
function countKeys(value: any): number {
  if (value === null || typeof value !== 'object') {
    return 0;
  }
  let count = 0;
  if (Array.isArray(value)) {
    for (const v of value) {
      count += countKeys(v);
    }
    return count;
  }
  for (const key in value) {
    count += 1 + countKeys(value[key]);
  }
  return count;
}

const NUMBER = /-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * A strict JSON parse that only counts keys and finds the first error (with
 * duplicate keys as errors), with its line. Slow; used for the error message,
 * and for the rare items of a List that are not objects.
 */
function strictParse(
  text: string, firstLine: number, limits: DocumentLimits, splitAt = Infinity, splitLine = 0,
): { keys: number; error?: InputSyntaxError } {
  let i = 0;
  let keys = 0;
  const lineAt = (offset: number) => (offset >= splitAt
    ? splitLine + lineCount(text.slice(splitAt, offset))
    : firstLine + lineCount(text.slice(0, offset)));
  const fail = (message: string, syntax = true): never => {
    throw new InputSyntaxError(lineAt(i), message, syntax);
  };
  const blank = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i])) {
      i++;
    }
  };
  const found = () => (i < text.length ? JSON.stringify(text[i]) : 'the end');
  const string = (): string => {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (!m) {
      fail('invalid string: a control character, a bad escape or no closing quote');
    }
    i += m![0].length;
    return JSON.parse(m![0]);
  };
  const value = (depth: number): void => {
    if (depth > limits.maxDepth) {
      fail(tooDeep(limits), false);
    }
    blank();
    const c = text[i];
    if (c === '{') {
      i++;
      blank();
      const seen = new Set<string>();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        blank();
        if (text[i] !== '"') {
          fail(`expected a key in quotes, found ${found()}`);
        }
        const at = i;
        const key = string();
        if (seen.has(key)) {
          i = at;
          fail(`duplicate key ${JSON.stringify(key)}`, false);
        }
        seen.add(key);
        keys++;
        blank();
        if (text[i] !== ':') {
          fail(`expected ":" after a key, found ${found()}`);
        }
        i++;
        value(depth + 1);
        blank();
        if (text[i] === '}') {
          i++;
          return;
        }
        if (text[i] !== ',') {
          fail(`expected "," or "}" after a value, found ${found()}`);
        }
        i++;
      }
    }
    if (c === '[') {
      i++;
      blank();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value(depth + 1);
        blank();
        if (text[i] === ']') {
          i++;
          return;
        }
        if (text[i] !== ',') {
          fail(`expected "," or "]" after a value, found ${found()}`);
        }
        i++;
      }
    }
    if (c === '"') {
      string();
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) {
      fail(`expected a value, found ${found()}`);
    }
    i += m![0].length;
  };
  try {
    value(1);
    blank();
    if (i < text.length) {
      fail(`unexpected ${found()} after the value`);
    }
  } catch (e) {
    if (e instanceof InputSyntaxError) {
      return { keys, error: e };
    }
    throw e;
  }
  return { keys };
}
