// The shape of a registered code: its English and German text, a template whose {name}
// placeholders are its parameters ({name:date} an ISO date, {name:number} a number, both written
// in the reader's format). Pure and without imports: the web app's compiler includes it.

export type Lang = 'de' | 'en';

/** One code's texts; both templates name the same parameters. */
export interface CodeText {
  en: string;
  de: string;
  /**
   * A problem code's text with its particulars, used where a problem carries every parameter it
   * names (the text above, without parameters, names the kind of problem for the others).
   */
  detail?: { en: string; de: string };
}

/** A parameter's value as it travels in an answer (JSON): a text, a number, or a nested coded value. */
export type ParamValue = string | number | NestedCoded;

/** A coded value inside another's parameters (a reason of a reason: "numerator: …"). */
export interface NestedCoded {
  code: string;
  params?: { readonly [name: string]: ParamValue };
}

/** How a template is filled: `plain` writes numbers and dates as they are (the API's English message). */
export interface FillOptions {
  plain?: boolean;
  /** Renders a nested coded parameter. */
  nested?: (c: NestedCoded) => string;
}

/** The parameter names of a template, at type level: "{layer}" and "{at:date}" give "layer" | "at". */
export type TemplateParams<S extends string> = S extends `${string}{${infer P}}${infer Rest}`
  ? (P extends `${infer N}:${string}` ? N : P) | TemplateParams<Rest>
  : never;

const PLACEHOLDER = /\{(\w+)(?::(date|number))?\}/g;

/** The parameter names of a template, at run time (in order of first use). */
export function templateParams(template: string): string[] {
  const names: string[] = [];
  for (const m of template.matchAll(PLACEHOLDER)) if (!names.includes(m[1])) names.push(m[1]);
  return names;
}

const NUMBER: Record<Lang, Intl.NumberFormat> = {
  de: new Intl.NumberFormat('de-DE', { maximumFractionDigits: 10 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 10 }),
};

/** An ISO date ("2024-12-31") as German users write it ("31.12.2024"); other text as it is. */
function germanDate(v: string): string {
  const [y, m, d] = v.split('-');
  return y?.length === 4 && m?.length === 2 && d?.length === 2 ? `${d}.${m}.${y}` : v;
}

/** Fills a template's placeholders; a placeholder without its parameter stays as written. */
export function fill(
  template: string,
  params: Readonly<Record<string, ParamValue>> | undefined,
  lang: Lang,
  o: FillOptions = {},
): string {
  if (!params) return template;
  return template.replace(PLACEHOLDER, (whole, name: string, kind: string | undefined) => {
    const v = params[name];
    if (v === undefined || v === null) return whole;
    if (typeof v === 'object') return o.nested ? o.nested(v) : whole;
    if (o.plain) return String(v);
    if (kind === 'number')
      return typeof v === 'number' || (v !== '' && Number.isFinite(Number(v)))
        ? NUMBER[lang].format(Number(v))
        : String(v);
    if (kind === 'date' && lang === 'de') return germanDate(String(v));
    return String(v);
  });
}
