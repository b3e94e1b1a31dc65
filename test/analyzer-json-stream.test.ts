/**
 * JsonStream, the reader of JSON documents and Lists item by item
 * (`sidecar-first check` on `kubectl get -o json`).
 */
import { JsonStream } from '../src/analyzer/json-stream';

/* eslint-disable @typescript-eslint/no-explicit-any */

/** Feeds `text` in chunks of `size`; the values handed over with their lines, an error, and where the document ended. */
function read(text: string, size: number) {
  const values: any[] = [];
  const stream = new JsonStream(1, { maxSize: 2 ** 20, maxDepth: 50 }, (value, line) => values.push([line, value]));
  let end = -1;
  try {
    for (let i = 0; i < text.length && end < 0; i += size) {
      const at = stream.write(text.slice(i, i + size), i === 0 ? text.indexOf('{') : 0);
      end = at < 0 ? -1 : i + at;
    }
    if (end < 0) {
      stream.end();
    }
  } catch (e: any) {
    values.push(['error', e.line, e.message]);
  }
  return { values, end };
}

const SIZES = [1, 2, 3, 5, 8, 13, 1000];

test('a List of Lists: each item handed over at its line, whatever the chunks; escapes, non-object items and the end of the document', () => {
  // GIVEN
  const list = JSON.stringify({
    apiVersion: 'v1',
    items: [
      { kind: 'A', x: [1, { 'y': '"q\\', 'it\\"ems': [] }] },
      5,
      'items',
      [1, 2],
      { kind: 'List', items: [{ a: 1 }, { b: { c: 2 } }], metadata: {} },
      { escaped: [{ d: 1 }] },
    ],
    kind: 'List',
  }, undefined, 2).replace('"escaped"', '"\\u0069tems"') + '  \nnext document';

  // WHEN
  const results = SIZES.map(size => read(list, size));

  // THEN
  results.forEach(r => expect(r).toEqual(results[0]));
  expect(results[0]).toEqual({
    end: list.indexOf('next document'),
    values: [
      [4, { kind: 'A', x: [1, { 'y': '"q\\', 'it\\"ems': [] }] }],
      [14, 5],
      [15, 'items'],
      [16, [1, 2]],
      [23, { a: 1 }],
      [26, { b: { c: 2 } }],
      // A key written with an escape is not taken for `items` by the scan: the List is handed over whole (the reader expands it).
      [34, { items: [{ d: 1 }] }],
    ],
  });
});

test.each([
  ['a duplicate key', '{"a": 1,\n "b": {"c": 1, "c": 2}}', [['error', 2, 'duplicate key "c"']]],
  ['a duplicate key in an item, after the items before it', '{"items": [{"a": 1},\n{"a": 1, "a": 2}]}', [[1, { a: 1 }], ['error', 2, 'duplicate key "a"']]],
  ['a second items array', '{"items": [],\n "items": [{"a": 1}]}', [['error', 2, 'duplicate key "items"']]],
  ['a trailing comma in a List', '{"items": [{"a": 1},\n]}', [[1, { a: 1 }], ['error', 2, 'expected "," or "]" between the items of the List, found "]"']]],
  ['text after the document on its line', '{"a": 1} x', [[1, { a: 1 }], ['error', 1, 'unexpected "x" after the JSON document']]],
  ['a bad literal', '{"a":\n 1,\n "b": tru}', [['error', 3, 'expected a value, found "t"']]],
  ['a raw newline in a string', '{"a": "x\ny"}', [['error', 1, 'invalid string: a control character, a bad escape or no closing quote']]],
  ['too deep', `{"a": ${'['.repeat(60)}${']'.repeat(60)}}`, [['error', 1, 'nested deeper than 50 levels']]],
  ['the end of input inside a List', '{"items": [{"a": 1}\n\n', [[1, { a: 1 }], ['error', 3, 'unexpected end of the JSON document']]],
])('%s: the values before it, then the error at its line', (_title, text, expected) => {
  SIZES.forEach(size => expect(read(text, size).values).toEqual(expected));
});

test('an item over the size limit is an error at its first line, whatever the chunks', () => {
  const stream = new JsonStream(1, { maxSize: 2 ** 16, maxDepth: 50 }, () => {});
  let error: any;
  try {
    stream.write('{"items": [\n\n{"a": "', 0);
    for (let i = 0; i < 100; i++) {
      stream.write('x'.repeat(1000), 0);
    }
  } catch (e) {
    error = e;
  }
  expect([error.line, error.message]).toEqual([3, 'document too large: over 0.0625 MiB (--max-document-mib)']);
});
