// The Markdown of text blocks: a small, safe subset (headings ###, paragraphs, bullet and
// numbered lists, **bold**, *italic*) parsed into a tree that the HTML and the DOCX renderer
// both walk — no raw HTML ever passes through. Placeholders `{{ … }}` are found and replaced
// before parsing, by the report service.

export type Inline = { text: string; bold?: boolean; italic?: boolean };

export type MdBlock =
  | { kind: 'heading'; level: 3 | 4; inlines: Inline[] }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] };

const PLACEHOLDER = /\{\{\s*([^}]*?)\s*\}\}/g;

export interface Placeholder {
  /** value | name | period */
  fn: string;
  /** The positional argument (an indicator key), if any. */
  arg: string | null;
  options: Record<string, string>;
}

function parsePlaceholder(body: string): Placeholder {
  const parts = body.split(/\s+/).filter(Boolean);
  const fn = parts.shift() ?? '';
  let arg: string | null = null;
  const options: Record<string, string> = {};
  for (const p of parts) {
    const eq = p.indexOf('=');
    if (eq > 0) options[p.slice(0, eq)] = p.slice(eq + 1);
    else if (arg === null) arg = p;
  }
  return { fn, arg, options };
}

/** The placeholders of a text, in order. */
export function placeholdersIn(markdown: string): Placeholder[] {
  return [...markdown.matchAll(PLACEHOLDER)].map((m) => parsePlaceholder(m[1]));
}

/** The indicator keys named by placeholders. */
export function placeholderIndicators(markdown: string): string[] {
  return [
    ...new Set(
      placeholdersIn(markdown)
        .filter((p) => p.arg)
        .map((p) => p.arg!),
    ),
  ];
}

/** Replaces every placeholder by what `resolve` gives for it (in order, so results may be precomputed). */
export function replacePlaceholders(markdown: string, resolve: (p: Placeholder, index: number) => string): string {
  let i = 0;
  return markdown.replace(PLACEHOLDER, (_m, body: string) => resolve(parsePlaceholder(body), i++));
}

function inlines(text: string): Inline[] {
  const out: Inline[] = [];
  const re = /\*\*([^*]+)\*\*|\*([^*]+)\*/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push(m[1] !== undefined ? { text: m[1], bold: true } : { text: m[2], italic: true });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out.filter((x) => x.text.length > 0);
}

export function parseMarkdown(md: string): MdBlock[] {
  const out: MdBlock[] = [];
  const lines = md.replace(/\r\n?/g, '\n').split('\n');
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  const flush = () => {
    if (para.length) out.push({ kind: 'paragraph', inlines: inlines(para.join(' ').trim()) });
    para = [];
    if (list) out.push({ kind: 'list', ordered: list.ordered, items: list.items.map(inlines) });
    list = null;
  };
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) {
      flush();
      continue;
    }
    const h = /^(#{1,4})\s+(.*)$/.exec(line);
    if (h) {
      flush();
      out.push({ kind: 'heading', level: h[1].length <= 3 ? 3 : 4, inlines: inlines(h[2]) });
      continue;
    }
    const b = /^[-*]\s+(.*)$/.exec(line);
    const n = /^\d+[.)]\s+(.*)$/.exec(line);
    if (b || n) {
      const ordered = !!n;
      if (para.length || (list && list.ordered !== ordered)) flush();
      list ??= { ordered, items: [] };
      list.items.push((b ?? n)![1]);
      continue;
    }
    if (list) flush();
    para.push(line);
  }
  flush();
  return out;
}
