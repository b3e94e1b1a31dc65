import { FAILSAFE_SCHEMA, loadAll, LoadOptions, Type } from 'js-yaml';

/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * YAML read as the API server's clients read it. kubectl decodes a manifest
 * with sigs.k8s.io/yaml: go-yaml v2 (YAML 1.1 plain scalars: `yes`, `on`,
 * `y` are booleans, `0777` is octal, `<<` merges) into Go values, then JSON.
 * This schema resolves plain scalars the way go-yaml v2's resolve.go does,
 * as kubectl 1.33 was measured to (test/yaml-semantics.test.ts compares
 * with it): see docs/performance-and-gates.md for the table.
 *
 * Read with js-yaml, the fastest well-kept JavaScript YAML parser measured
 * (bench/analysis.ts); its own YAML 1.2 types are left out.
 */

/** A value the Go JSON encoder refuses (NaN, ±Inf): kubectl rejects the file. */
export class UnreadableValue extends Error {}

const BOOLEANS: ReadonlyMap<string, boolean> = new Map([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(w => [w, true] as const),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(w => [w, false] as const),
]);
const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const SPECIAL_FLOATS = new Set(['.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF']);

/** Go's strconv.ParseInt/ParseUint with base 0 (underscores already removed): sign, then 0b, 0o, 0x, 0 (octal) or decimal. */
const GO_INT = /^([-+]?)(?:0[bB]([01]+)|0[oO]([0-7]+)|0[xX]([0-9a-fA-F]+)|0([0-7]*)|([1-9][0-9]*))$/;
/** go-yaml's yamlStyleFloat. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** What Go's ParseFloat reads of a scalar that starts with `.` (underscores between digits, as in Go literals). */
const DOT_FLOAT = /^\.[0-9]+(_[0-9]+)*([eE][-+]?[0-9]+(_[0-9]+)*)?$/;
/** go-yaml's extra binary form: ParseInt(s[2:], 2) after `0b` takes a sign. */
const ZERO_B = /^0b([-+]?)([01]+)$/;
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

type GoNumber = { readonly int: boolean; readonly value: number } | undefined;
/** The last scalar read by goNumber: js-yaml asks each type to resolve, then to construct, the same text. */
let last: { source: string; number: GoNumber } = { source: '', number: undefined };

/** What a go-yaml v2 plain scalar that is a number holds, or undefined (a string). Integers keep Go's int64/uint64 range. */
function goNumber(s: string): GoNumber {
  if (s !== last.source) {
    last = { source: s, number: readGoNumber(s) };
  }
  return last.number;
}

function readGoNumber(s: string): GoNumber {
  const c = s.charCodeAt(0);
  if (c === 0x2e /* . */) {
    // go-yaml hands the scalar to ParseFloat as it is, which takes an underscore between digits.
    return DOT_FLOAT.test(s) ? finite(Number(s.replace(/_/g, ''))) : undefined;
  }
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d)) {
    return undefined;
  }
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const m = GO_INT.exec(plain);
  if (m) {
    const [, sign, bin, oct, hex, octal, dec] = m;
    const magnitude = bin !== undefined ? BigInt(`0b${bin}`) : oct !== undefined ? BigInt(`0o${oct}`)
      : hex !== undefined ? BigInt(`0x${hex}`) : octal !== undefined ? (octal === '' ? 0n : BigInt(`0o${octal}`)) : BigInt(dec);
    // ParseInt takes a sign and int64; ParseUint no sign and uint64.
    if (sign === '-' ? magnitude <= INT64_MAX + 1n : sign === '+' ? magnitude <= INT64_MAX : magnitude <= UINT64_MAX) {
      return { int: true, value: sign === '-' && magnitude !== 0n ? -Number(magnitude) : Number(magnitude) };
    }
  }
  if (YAML_FLOAT.test(plain)) {
    const float = finite(Number(plain));
    if (float) {
      return float;
    }
  }
  const b = ZERO_B.exec(plain);
  if (b) {
    const magnitude = BigInt(`0b${b[2]}`);
    if (b[1] === '-' ? magnitude <= INT64_MAX + 1n : magnitude <= INT64_MAX) {
      return { int: true, value: b[1] === '-' && magnitude !== 0n ? -Number(magnitude) : Number(magnitude) };
    }
  }
  return undefined;
}

/** A float Go's ParseFloat returns without error (overflow is an error: the scalar stays a string). -0 is 0 once through JSON. */
function finite(value: number): GoNumber {
  return Number.isFinite(value) ? { int: false, value: value === 0 ? 0 : value } : undefined;
}

const nullType = new Type('tag:yaml.org,2002:null', {
  kind: 'scalar',
  resolve: (data: string | null) => data === null || NULLS.has(data),
  construct: () => null,
});

const boolType = new Type('tag:yaml.org,2002:bool', {
  kind: 'scalar',
  resolve: (data: string) => BOOLEANS.has(data),
  construct: (data: string) => BOOLEANS.get(data),
});

const intType = new Type('tag:yaml.org,2002:int', {
  kind: 'scalar',
  resolve: (data: string) => goNumber(data)?.int === true,
  construct: (data: string) => goNumber(data)!.value,
});

/** A float (an int where !!float asks for one, as go-yaml converts it); NaN and ±Inf are refused when read. */
const floatType = new Type('tag:yaml.org,2002:float', {
  kind: 'scalar',
  resolve: (data: string) => SPECIAL_FLOATS.has(data) || goNumber(data) !== undefined,
  construct: (data: string) => {
    if (SPECIAL_FLOATS.has(data)) {
      throw new UnreadableValue(`${data} is a float JSON cannot hold: kubectl refuses the file (json: unsupported value)`);
    }
    return goNumber(data)!.value;
  },
});

/** Where `<<` was: replaced by the merged keys once the document is read (mergeKeys), in go-yaml's order. */
const MERGE_KEY = '\u0000<<';

/** !!binary: go-yaml decodes base64 into the bytes of a string. */
const binaryType = new Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  resolve: (data: string) => /^[A-Za-z0-9+/=\s]*$/.test(data),
  construct: (data: string) => Buffer.from(data.replace(/\s/g, ''), 'base64').toString('utf8'),
});

/** !!timestamp and tags go-yaml does not resolve (`!foo`, !!set): the node as it is. */
const anyTag = (kind: 'scalar' | 'sequence' | 'mapping') => new Type('', { kind, multi: true, construct: (data: any) => data });

/** First characters of the plain scalars that are not strings. */
const RESOLVED_FIRST = new Set([...'~nNyYtTfFoO.+-0123456789<']);

/**
 * Every implicit type as one: js-yaml asks each implicit type in turn about
 * every plain scalar, and most scalars are strings; one question is cheaper.
 */
const implicitType = new Type('tag:sidecar-first,implicit', {
  kind: 'scalar',
  resolve: (data: string) => data.length === 0 || (RESOLVED_FIRST.has(data[0])
    && (NULLS.has(data) || BOOLEANS.has(data) || data === '<<' || SPECIAL_FLOATS.has(data) || goNumber(data) !== undefined)),
  construct: (data: string) => (NULLS.has(data) ? null : BOOLEANS.has(data) ? BOOLEANS.get(data)
    : data === '<<' ? MERGE_KEY : floatType.construct(data)),
});

const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [implicitType],
  explicit: [nullType, boolType, intType, floatType, binaryType, anyTag('scalar'), anyTag('sequence'), anyTag('mapping')],
});

/**
 * The documents of a YAML text as kubectl reads them: duplicate keys are
 * last wins (go-yaml v2's Unmarshal), `<<` is merged where it stands
 * (mergeKeys). Throws js-yaml's YAMLException (also for collections nested
 * much deeper than `maxDepth`: no stack overflow), or UnreadableValue.
 */
export function loadKubernetesYaml(text: string, maxDepth: number): any[] {
  const docs: any[] = [];
  // js-yaml counts scalars as a level too; the caller checks collections against maxDepth exactly.
  loadAll(text, doc => docs.push(doc), { schema: SCHEMA, json: true, maxDepth: maxDepth + 2 } as LoadOptions);
  return text.includes('<<') ? docs.map(d => mergeKeys(d, new Map())) : docs;
}

/**
 * Resolves `<<` as go-yaml v2 does: keys are set in the order they are
 * written, so a merge overrides the keys before it and those after it
 * override the merge; in a sequence of maps, the first map wins.
 */
function mergeKeys(value: any, done: Map<object, any>): any {
  if (value === MERGE_KEY) {
    // `<<` as a value, not a key: go-yaml reads the string.
    return '<<';
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const seen = done.get(value);
  if (seen !== undefined) {
    return seen;
  }
  if (Array.isArray(value)) {
    done.set(value, value);
    for (let i = 0; i < value.length; i++) {
      value[i] = mergeKeys(value[i], done);
    }
    return value;
  }
  if (!Object.prototype.hasOwnProperty.call(value, MERGE_KEY)) {
    done.set(value, value);
    for (const key of Object.keys(value)) {
      value[key] = mergeKeys(value[key], done);
    }
    return value;
  }
  const merged: any = {};
  done.set(value, merged);
  const mergeMap = (source: any) => {
    if (source === null || typeof source !== 'object' || Array.isArray(source)) {
      throw new UnreadableValue('map merge requires map or sequence of maps as the value');
    }
    Object.assign(merged, mergeKeys(source, done));
  };
  for (const key of Object.keys(value)) {
    if (key !== MERGE_KEY) {
      merged[key] = mergeKeys(value[key], done);
    } else if (Array.isArray(value[key])) {
      for (let i = value[key].length - 1; i >= 0; i--) {
        mergeMap(value[key][i]);
      }
    } else {
      mergeMap(value[key]);
    }
  }
  return merged;
}
