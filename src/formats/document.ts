// Structured text documents (JSON catalogues, GeoJSON, index and typology definitions): read as
// strict UTF-8, parsed, and checked as a whole before any reader walks them, so that every problem
// has a line and column: syntax errors, NUL characters and lone surrogates (also when written as
// \u escapes), nesting deeper than MAX_NESTING. Nothing here recurses, whatever the input's depth.
import { firstInvalidUtf8 } from '../core/text.ts';
import { readFile } from 'node:fs/promises';
import type { Problem } from '../core/problems.ts';
import { badCharacterMessage, findBadCharacter, lineColumnAt, MAX_NESTING, type BadCharacter } from '../core/text.ts';

/** The largest JSON or YAML document read (a V8 string holds at most about 512 MiB). */
const MAX_DOCUMENT_BYTES = 500 * 2 ** 20;

export type JsonPath = readonly (string | number)[];
/** Where a value (or, for an object member, its key) stands in the file. */
export type Locate = (path: JsonPath) => { line: number; column?: number | string } | undefined;

export interface ParsedDocument {
  data: unknown;
  problems: Problem[];
  /** Line and column of a path in the document (an empty path: the start). */
  locate: Locate;
}

/** Reads a file as UTF-8 (BOM removed). Invalid UTF-8 and NUL / lone surrogates are problems with their position. */
export async function readDocumentText(
  path: string,
  file: string,
): Promise<{ text: string | null; problems: Problem[] }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return {
      text: null,
      problems: [
        code === 'ENOENT'
          ? {
              severity: 'error',
              code: 'file-not-found',
              file,
              reason: 'the file does not exist',
              hint: 'check the path and the file name',
            }
          : {
              severity: 'error',
              code: 'file-unreadable',
              file,
              reason: `the file cannot be read: ${(e as Error).message}`,
              hint: 'check the path and the file permissions',
            },
      ],
    };
  }
  // JSON and YAML are read as one string; V8 strings end at about 512 MiB.
  if (bytes.length > MAX_DOCUMENT_BYTES) {
    return {
      text: null,
      problems: [
        {
          severity: 'error',
          code: 'file-too-large',
          file,
          value: `${Math.round(bytes.length / 2 ** 20)} MiB`,
          reason: `the file is larger than ${MAX_DOCUMENT_BYTES / 2 ** 20} MiB, more than a JSON or YAML file can be read as one document`,
          hint: 'split it into several files, or use a zipped Shapefile for large boundary data',
        },
      ],
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    // Decode the valid prefix to name the line and column of the first bad byte.
    const bad = firstInvalidUtf8(bytes);
    const prefix = bytes.subarray(0, bad < 0 ? bytes.length : bad).toString('utf8');
    return {
      text: null,
      problems: [
        {
          severity: 'error',
          code: 'bad-encoding',
          file,
          ...lineColumnAt(prefix, prefix.length),
          reason: 'the file is not valid UTF-8 here',
          hint: 'JSON and YAML files must be UTF-8; save the file as UTF-8 (not Windows-1252 or UTF-16)',
        },
      ],
    };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const bad = findBadCharacter(text);
  if (bad) return { text: null, problems: [badCharacterProblem(bad, file, lineColumnAt(text, bad.index))] };
  return { text, problems: [] };
}

function badCharacterProblem(
  bad: BadCharacter,
  file: string,
  at: { line?: number; column?: number | string },
  where?: string,
): Problem {
  const m = badCharacterMessage(bad);
  return {
    severity: 'error',
    code: m.code,
    file,
    ...at,
    reason: where ? `${where}: ${m.reason}` : m.reason,
    hint: m.hint,
  };
}

/** Parses JSON text; the problems carry line and column. */
export function parseJsonDocument(
  text: string,
  file: string,
  describe: (path: JsonPath) => string = describePath,
): ParsedDocument {
  const locate: Locate = (path) => {
    const offset = locateJson(text, path);
    return offset === null ? undefined : lineColumnAt(text, offset);
  };
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const syntax = jsonSyntaxError(text);
    const m = /position (\d+)/.exec((e as Error).message);
    const offset = syntax?.offset ?? (m ? Number(m[1]) : text.length);
    return {
      data: null,
      locate,
      problems: [
        {
          severity: 'error',
          code: 'bad-json',
          file,
          ...lineColumnAt(text, offset),
          reason: `invalid JSON: ${syntax?.message ?? (e as Error).message}`,
          hint: 'check commas, quotes and brackets here or just before',
        },
      ],
    };
  }
  const issue = inspectValue(data);
  if (issue) return { data: null, locate, problems: [inspectionProblem(issue, file, locate, describe)] };
  return { data, problems: [], locate };
}

export function inspectionProblem(
  issue: Inspection,
  file: string,
  locate: Locate,
  describe: (path: JsonPath) => string = describePath,
): Problem {
  const at = locate(issue.path) ?? {};
  if (issue.kind === 'too-deep') {
    return {
      severity: 'error',
      code: 'too-deeply-nested',
      file,
      ...at,
      reason: `${describe(issue.path)}: nested more than ${MAX_NESTING} levels deep`,
      hint: 'no catalogue, definition or GeoJSON file needs this depth; the file is damaged or not the expected kind',
    };
  }
  return badCharacterProblem(
    issue.bad,
    file,
    at,
    `${describe(issue.path)}${issue.isKey ? ' (the property name)' : ''}`,
  );
}

/** "features[3].properties.name" (long paths shortened). */
export function describePath(path: JsonPath): string {
  if (path.length === 0) return 'the document';
  const shown = path.length > 12 ? [...path.slice(0, 10), '…'] : path;
  return shown.map((p, i) => (typeof p === 'number' ? `[${p}]` : p === '…' ? '…' : i === 0 ? p : `.${p}`)).join('');
}

export type Inspection =
  | { path: (string | number)[]; kind: 'too-deep' }
  | { path: (string | number)[]; kind: 'bad-text'; bad: BadCharacter; isKey: boolean };

/** The first string with a NUL or lone surrogate (keys included), or the first container nested too deep; iterative. */
export function inspectValue(root: unknown): Inspection | null {
  if (typeof root === 'string') {
    const bad = findBadCharacter(root);
    return bad ? { path: [], kind: 'bad-text', bad, isKey: false } : null;
  }
  if (root === null || typeof root !== 'object') return null;
  interface Frame {
    c: unknown[] | Record<string, unknown>;
    keys: string[] | null;
    i: number;
  }
  const frame = (c: object): Frame =>
    Array.isArray(c) ? { c, keys: null, i: 0 } : { c: c as Record<string, unknown>, keys: Object.keys(c), i: 0 };
  const frames: Frame[] = [frame(root)];
  const pathOf = () => frames.map((f) => (f.keys ? f.keys[f.i - 1] : f.i - 1));
  while (frames.length) {
    const f = frames[frames.length - 1];
    const n = f.keys ? f.keys.length : (f.c as unknown[]).length;
    if (f.i >= n) {
      frames.pop();
      continue;
    }
    let v: unknown;
    if (f.keys) {
      const k = f.keys[f.i++];
      const bad = findBadCharacter(k);
      if (bad) return { path: pathOf(), kind: 'bad-text', bad, isKey: true };
      v = (f.c as Record<string, unknown>)[k];
    } else v = (f.c as unknown[])[f.i++];
    if (typeof v === 'string') {
      const bad = findBadCharacter(v);
      if (bad) return { path: pathOf(), kind: 'bad-text', bad, isKey: false };
    } else if (v !== null && typeof v === 'object') {
      if (frames.length + 1 > MAX_NESTING) return { path: pathOf(), kind: 'too-deep' };
      frames.push(frame(v));
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Position-tracking scans over JSON text (iterative)

const WS = new Set([0x20, 0x09, 0x0a, 0x0d]);

function ws(text: string, i: number): number {
  while (i < text.length && WS.has(text.charCodeAt(i))) i++;
  return i;
}

/** End (exclusive) of the string starting at i, or -1 with the error's offset in `err`. */
function stringEnd(text: string, i: number, err?: { offset: number; message: string }): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c === 0x5c) {
      const e = text[j + 1];
      if (e === 'u') {
        if (!/^[0-9a-fA-F]{4}$/.test(text.slice(j + 2, j + 6))) {
          if (err) Object.assign(err, { offset: j, message: 'a \\u escape needs four hexadecimal digits' });
          return -1;
        }
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
      else {
        if (err) Object.assign(err, { offset: j, message: `unknown escape "\\${e ?? ''}" in a string` });
        return -1;
      }
    } else if (c < 0x20) {
      if (err) Object.assign(err, { offset: j, message: 'a control character (such as a line break) inside a string' });
      return -1;
    }
  }
  if (err) Object.assign(err, { offset: i, message: 'a string is not closed (missing ")' });
  return -1;
}

const LITERAL = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null/y;

/** The first syntax error of a JSON text with its offset, or null when it is valid. */
function jsonSyntaxError(text: string): { offset: number; message: string } | null {
  const stack: number[] = []; // 0x7b '{' or 0x5b '['
  type State = 'value' | 'firstValue' | 'key' | 'firstKey' | 'after';
  let state: State = 'value';
  let i = 0;
  const err = { offset: 0, message: '' };
  const fail = (offset: number, message: string) => ({ offset, message });
  for (;;) {
    i = ws(text, i);
    const c = text.charCodeAt(i);
    const shown = i < text.length ? `"${text[i]}"` : 'the end of the text';
    if (state === 'firstValue' && c === 0x5d) {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (state === 'firstKey' && c === 0x7d) {
      stack.pop();
      i++;
      state = 'after';
      continue;
    }
    if (state === 'value' || state === 'firstValue') {
      if (i >= text.length) return fail(i, 'the text ends where a value is expected');
      if (c === 0x7b || c === 0x5b) {
        stack.push(c);
        i++;
        state = c === 0x7b ? 'firstKey' : 'firstValue';
        continue;
      }
      if (c === 0x22) {
        const end = stringEnd(text, i, err);
        if (end < 0) return fail(err.offset, err.message);
        i = end;
      } else {
        LITERAL.lastIndex = i;
        const m = LITERAL.exec(text);
        if (!m) return fail(i, `unexpected ${shown} where a value is expected`);
        i += m[0].length;
      }
      state = 'after';
      continue;
    }
    if (state === 'key' || state === 'firstKey') {
      if (c !== 0x22) return fail(i, `expected a property name in double quotes, found ${shown}`);
      const end = stringEnd(text, i, err);
      if (end < 0) return fail(err.offset, err.message);
      i = ws(text, end);
      if (text.charCodeAt(i) !== 0x3a)
        return fail(
          i,
          `expected ":" after the property name, found ${i < text.length ? `"${text[i]}"` : 'the end of the text'}`,
        );
      i++;
      state = 'value';
      continue;
    }
    // after a value
    if (stack.length === 0)
      return i >= text.length ? null : fail(i, `unexpected ${shown} after the end of the JSON value`);
    const top = stack[stack.length - 1];
    if (c === 0x2c) {
      i++;
      state = top === 0x7b ? 'key' : 'value';
    } else if (c === (top === 0x7b ? 0x7d : 0x5d)) {
      stack.pop();
      i++;
    } else
      return fail(
        i,
        top === 0x7b
          ? `expected "," or "}" after a property value, found ${shown}`
          : `expected "," or "]" after an array element, found ${shown}`,
      );
  }
}

/** End of the value starting at i (valid JSON assumed). */
function skipValue(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c === 0x22) return stringEnd(text, i);
  if (c !== 0x7b && c !== 0x5b) {
    LITERAL.lastIndex = i;
    const m = LITERAL.exec(text);
    return i + (m ? m[0].length : 1);
  }
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const d = text.charCodeAt(j);
    if (d === 0x22) j = stringEnd(text, j) - 1;
    else if (d === 0x7b || d === 0x5b) depth++;
    else if (d === 0x7d || d === 0x5d) {
      if (--depth === 0) return j + 1;
    }
  }
  return text.length;
}

/** Offset of the value at path in valid JSON text; for an object member the offset of its key. Null if absent. */
function locateJson(text: string, path: JsonPath): number | null {
  let i = ws(text, 0);
  let at = i;
  for (const comp of path) {
    const c = text.charCodeAt(i);
    if (typeof comp === 'number') {
      if (c !== 0x5b) return null;
      i = ws(text, i + 1);
      for (let k = 0; ; k++) {
        if (text.charCodeAt(i) === 0x5d || i >= text.length) return null;
        if (k === comp) break;
        i = ws(text, skipValue(text, i));
        if (text.charCodeAt(i) !== 0x2c) return null;
        i = ws(text, i + 1);
      }
      at = i;
    } else {
      if (c !== 0x7b) return null;
      i = ws(text, i + 1);
      for (;;) {
        if (text.charCodeAt(i) !== 0x22) return null;
        const keyStart = i;
        const keyEnd = stringEnd(text, i);
        if (keyEnd < 0) return null;
        const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
        i = ws(text, keyEnd);
        if (text.charCodeAt(i) !== 0x3a) return null;
        i = ws(text, i + 1);
        if (key === comp) {
          at = keyStart;
          break;
        }
        i = ws(text, skipValue(text, i));
        if (text.charCodeAt(i) !== 0x2c) return null;
        i = ws(text, i + 1);
      }
    }
  }
  return at;
}
