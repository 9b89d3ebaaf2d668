// Checks every reader applies to the text it hands on: no NUL characters (PostgreSQL cannot store
// them in text) and no lone UTF-16 surrogates (they cannot be encoded as UTF-8 and would silently
// become U+FFFD). Also the nesting limit of structured documents (JSON, YAML).

/** Deepest nesting of arrays and objects accepted in a JSON or YAML document. */
export const MAX_NESTING = 64;

export interface BadCharacter {
  /** UTF-16 offset in the string. */
  index: number;
  kind: 'nul' | 'lone-surrogate';
  /** The character code, e.g. 0xD800. */
  char: number;
}

// Without the u flag a regex sees UTF-16 code units: a high surrogate not followed by a low one,
// or a low one not preceded by a high one.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The first NUL or lone surrogate in s, or null when the text is fine. */
export function findBadCharacter(s: string): BadCharacter | null {
  const nul = s.indexOf('\u0000');
  const m = LONE_SURROGATE.exec(s);
  const surrogate = m ? m.index : -1;
  if (nul < 0 && surrogate < 0) return null;
  const index = nul < 0 ? surrogate : surrogate < 0 ? nul : Math.min(nul, surrogate);
  return { index, kind: index === nul ? 'nul' : 'lone-surrogate', char: s.charCodeAt(index) };
}

/** Reason and hint for a bad character, for a Problem. */
export function badCharacterMessage(bad: BadCharacter): { code: string; reason: string; hint: string } {
  const u = `U+${bad.char.toString(16).toUpperCase().padStart(4, '0')}`;
  if (bad.kind === 'nul')
    return {
      code: 'nul-character',
      reason: 'the text contains a NUL character (U+0000), which cannot be stored',
      hint: 'remove the character; a file full of NUL characters is usually UTF-16 or binary: save it as UTF-8',
    };
  return {
    code: 'lone-surrogate',
    reason: `the text contains a lone surrogate (${u}), half of a character that cannot be stored`,
    hint: 'the text was cut in the middle of a character (often an emoji) or written by a faulty tool; correct the text',
  };
}

/** 1-based line and column (in UTF-16 units) of an offset in a text; \r\n, \n and \r end lines. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** A short, safe preview of a value for messages (no deep recursion, whatever the nesting). */
export function preview(v: unknown, max = 80): string {
  let out = '';
  const stack: { items: unknown[]; keys?: string[]; i: number; close: string }[] = [];
  const emit = (s: string) => {
    out += s;
    return out.length > max;
  };
  const value = (x: unknown): boolean => {
    if (x === null || typeof x !== 'object')
      return emit(typeof x === 'string' ? JSON.stringify(x) : x === undefined ? 'undefined' : String(x));
    if (stack.length >= 4) return emit(Array.isArray(x) ? '[…]' : '{…}');
    if (Array.isArray(x)) {
      stack.push({ items: x, i: 0, close: ']' });
      return emit('[');
    }
    const keys = Object.keys(x);
    stack.push({ items: keys.map((k) => (x as Record<string, unknown>)[k]), keys, i: 0, close: '}' });
    return emit('{');
  };
  let full = value(v);
  while (!full && stack.length) {
    const top = stack[stack.length - 1];
    if (top.i >= top.items.length) {
      stack.pop();
      full = emit(top.close);
      continue;
    }
    if (top.i > 0 && emit(',')) break;
    if (top.keys && emit(`${JSON.stringify(top.keys[top.i])}:`)) break;
    full = value(top.items[top.i++]);
  }
  return out.length > max ? out.slice(0, max - 1) + '…' : out;
}

/** Offset of the first byte that breaks UTF-8, or -1; for error messages (lead and continuation bytes only, not every overlong form). */
export function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length;) {
    const c = b[i];
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) if (i + k >= b.length || (b[i + k] & 0xc0) !== 0x80) return i;
    i += n + 1;
  }
  return -1;
}
