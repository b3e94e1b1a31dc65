/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * What a round trip through real Kubernetes code (a version's kubectl, or an
 * API server's dry run) lost of a manifest: every value we sent that came back
 * missing or different. What came back and was not sent (defaults, status,
 * metadata) does not count; neither does an empty value (0, false, "", [], {})
 * that went missing or came back defaulted, because the Go types leave those
 * out of fields they know (omitempty): to them it was never set.
 */

/** Every path of `input` that `output` dropped or changed. */
export function lost(input: any, output: any, path: string): string[] {
  if (input !== null && typeof input === 'object') {
    if (output === null || typeof output !== 'object' || Array.isArray(input) !== Array.isArray(output)) {
      return [`${path} became ${JSON.stringify(output)}`];
    }
    return Object.keys(input).flatMap(key => {
      const at = `${path}/${key}`;
      if (output[key] === undefined) {
        return isEmpty(input[key]) ? [] : [`${at} is dropped`];
      }
      return lost(input[key], output[key], at);
    });
  }
  // An empty value is an unset one to the Go types: the server may default it (probe periodSeconds 0 becomes 10).
  if (input === output || isEmpty(input) || sameQuantity(input, output)) {
    return [];
  }
  return [`${path} changed from ${JSON.stringify(input)} to ${JSON.stringify(output)}`];
}

/** What the Go types leave out (omitempty) even for fields they know. */
function isEmpty(value: any): boolean {
  return value === null || value === false || value === 0 || value === ''
    || (typeof value === 'object' && Object.keys(value).length === 0);
}

const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]))?$/;
const DECIMAL_SUFFIXES = ['n', 'u', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E'];
const BINARY_SUFFIXES = ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'];

function scale(suffix: string | undefined): number {
  const binary = BINARY_SUFFIXES.indexOf(suffix ?? '');
  return binary >= 0 ? 2 ** (10 * (binary + 1)) : 10 ** (3 * (DECIMAL_SUFFIXES.indexOf(suffix ?? '') - 3));
}

/**
 * Resource quantities come back in canonical form ("1000m" as "1", a JSON number 256 as "256"):
 * equal amounts are the same value.
 */
function sameQuantity(a: any, b: any): boolean {
  const amount = (q: any) => {
    if (typeof q === 'number' && typeof b === 'string') {
      return q;
    }
    const m = typeof q === 'string' ? QUANTITY.exec(q) : null;
    return m ? Number(m[1]) * (m[2] !== undefined ? 10 ** Number(m[2]) : scale(m[3])) : undefined;
  };
  const [x, y] = [amount(a), amount(b)];
  return x !== undefined && y !== undefined && Math.abs(x - y) <= 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}
