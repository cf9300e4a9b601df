import { AppError } from '@/lib/errors/app-error';

const NUL = /\u0000/;
/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * Why a piece of text cannot be stored, or null. PostgreSQL refuses NUL in text and JSON, and an
 * unpaired UTF-16 surrogate is not Unicode at all: both are refused at the edge, with a 4xx,
 * instead of failing in the database with a 500. `singleLine` also refuses the other control
 * characters (names, labels, ids; tab, CR and LF are allowed in free text).
 */
export function unstorableText(s: string, opts: { singleLine?: boolean } = {}): string | null {
  if (NUL.test(s)) return 'contains a NUL character';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired surrogate (text that is not valid Unicode)';
  if (opts.singleLine && (CONTROL.test(s) || /[\r\n\t]/.test(s))) return 'contains a control character';
  return null;
}

/** Throws a validation error naming `where` if `s` cannot be stored (unstorableText). */
export function requireStorableText(s: string, where: string, opts: { singleLine?: boolean } = {}): void {
  const reason = unstorableText(s, opts);
  if (reason) throw new AppError('validation_failed', `${where} ${reason}.`, { field: where });
}

/** Deeper JSON than this is refused: no request of this API nests more than a few levels. */
export const MAX_JSON_DEPTH = 32;

/**
 * Checks every string of a parsed JSON value, keys included, and its depth, without recursion
 * (a body of 5,000 nested arrays must be a 4xx, not a stack overflow); throws naming the first
 * bad one's path.
 */
export function requireStorableJson(value: unknown): void {
  const stack: [unknown, string, number][] = [[value, 'body', 0]];
  while (stack.length) {
    const [v, path, depth] = stack.pop()!;
    if (typeof v === 'string') requireStorableText(v, path);
    else if (v && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) throw new AppError('validation_failed', `The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
      if (Array.isArray(v)) v.forEach((x, i) => stack.push([x, `${path}[${i}]`, depth + 1]));
      else {
        for (const [k, x] of Object.entries(v)) {
          requireStorableText(k, `A key of ${path}`);
          stack.push([x, `${path}.${k}`, depth + 1]);
        }
      }
    }
  }
}
