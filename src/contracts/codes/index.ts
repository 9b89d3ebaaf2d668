// The closed registry of codes, in the manner of PostgreSQL's SQLSTATE: every reason and problem
// the server gives is a code with parameters ({ code, params }), rendered into German or English
// where it is shown (web app, CLI, exports) and into English as the API's `message`. A code that
// is not registered here does not type-check; test/contracts/codes.test.ts checks the texts and
// that every code literal in src/ is registered (docs/decisions/0042-code-registry.md).
// Pure and without Node.js imports: the web app includes it.
import { fill, templateParams, type CodeText, type Lang, type ParamValue, type TemplateParams } from './define.ts';
import { ERROR_CODES } from './errors.ts';
import { REASON_CODES } from './reasons.ts';
import { PROBLEM_CODES } from './problems.ts';
import { NOTE_CODES } from './notes.ts';

export { templateParams, type Lang, type NestedCoded, type ParamValue } from './define.ts';

/** The groups of codes, one file each; their codes do not overlap (checked by the tests). */
export const CODE_GROUPS = {
  errors: ERROR_CODES,
  reasons: REASON_CODES,
  problems: PROBLEM_CODES,
  notes: NOTE_CODES,
} as const;

/** Every code with its texts. */
export const CODES = { ...ERROR_CODES, ...REASON_CODES, ...PROBLEM_CODES, ...NOTE_CODES } as const;

export type Code = keyof typeof CODES;

/** The parameters of a code, named by its English template. */
export type ParamsOf<C extends Code> = { [K in TemplateParams<(typeof CODES)[C]['en']>]: ParamValue };

/** A code with its parameters: what travels instead of a sentence. */
export type Coded<C extends Code = Code> = C extends Code ? { code: C; params: ParamsOf<C> } : never;

/** The same, as it arrives from outside (an answer of a newer server may name an unknown code). */
export interface CodedLike {
  code: string;
  params?: Readonly<Record<string, ParamValue>>;
}

/** A coded value; the parameters are required exactly when the code's template has any. */
export function coded<C extends Code>(
  code: C,
  ...params: keyof ParamsOf<C> extends never ? [] : [ParamsOf<C>]
): Coded<C> {
  return { code, params: (params[0] ?? {}) as ParamsOf<C> } as Coded<C>;
}

export function isCode(code: unknown): code is Code {
  return typeof code === 'string' && Object.hasOwn(CODES, code);
}

/**
 * A code's text in a language, numbers and dates in the reader's format; `plain` writes them as
 * they are (the API's English `message` and `reason`, unchanged since before codes). A nested
 * coded parameter is rendered the same way; one the registry does not know stays as written.
 */
export function renderCode(c: Coded | CodedLike, lang: Lang, o: { plain?: boolean } = {}): string {
  const text = (CODES as Record<string, { en: string; de: string }>)[c.code];
  if (!text) throw new Error(`Unregistered code "${c.code}"`);
  return fill(text[lang], c.params, lang, {
    plain: o.plain,
    nested: (n) => (isCode(n.code) ? renderCode(n, lang, o) : n.code),
  });
}

/** The English text of a code as the API writes it (`message`, `reason`): numbers as they are. */
export function englishText(c: Coded | CodedLike): string {
  return renderCode(c, 'en', { plain: true });
}

/** A code's text when the code is registered, else undefined (an answer without a code, or from a newer server). */
export function renderKnown(c: CodedLike | undefined | null, lang: Lang): string | undefined {
  return c && isCode(c.code) ? renderCode(c, lang) : undefined;
}

/** The items of a list parameter (nested `list-items` codes, src/core/problems.ts codedList); a single item is a list of one. */
export function listItems(v: ParamValue | undefined): ParamValue[] {
  const out: ParamValue[] = [];
  while (v !== undefined && typeof v === 'object' && v.code === 'list-items') {
    out.push(v.params?.first as ParamValue);
    v = v.params?.rest;
  }
  if (v !== undefined && v !== '') out.push(v);
  return out;
}

/** The parameter names of a code (from its English template). */
export function codeParams(code: Code): string[] {
  return templateParams(CODES[code].en);
}

/** A problem of a file or form (the server's `problems`) as the app shows it. */
export interface ProblemLike {
  code?: string;
  reason?: string;
  value?: string;
  params?: Readonly<Record<string, ParamValue>>;
}

/**
 * A problem in the interface's language: in English its reason as the server wrote it (with the
 * particulars). In German the detailed text of its code when the problem carries the parameters
 * it names; else the text of its code — complete when its text names
 * parameters and the problem carries them; otherwise followed by the server's reason in brackets, which names the particulars
 * (values, counts, positions) the code's text does not. A problem without a registered code
 * keeps the server's reason.
 */
export function problemText(p: ProblemLike, lang: Lang): string {
  if (lang === 'en' || !p.code) return p.reason ?? '';
  const detail = isCode(p.code) ? (CODES[p.code] as CodeText).detail : undefined;
  if (detail && p.params && templateParams(detail.en).every((n) => p.params?.[n] !== undefined))
    return fill(detail[lang], p.params, lang);
  const text = renderKnown({ code: p.code, params: p.params ?? {} }, lang);
  if (text === undefined) return p.reason ?? '';
  const names = isCode(p.code) ? codeParams(p.code) : [];
  const complete = names.length > 0 && names.every((n) => p.params?.[n] !== undefined);
  return complete || !p.reason ? text : `${text} (${p.reason})`;
}
