// The types of a typology as the monitor shows them, in the web app and in reports alike: their
// colours (with a text colour that stays readable on each) and a saved typology's types from its
// indicator's lineage. Pure functions, unit-tested in test/web/typology.test.ts.

/**
 * Paul Tol's "muted" qualitative scheme: nine colours that stay distinguishable with the common
 * forms of colour blindness. More types repeat the colours; every area also carries its type
 * number on the map, in its label and in the table, so the colour is never the only signal.
 */
export const TYPE_COLORS = [
  '#CC6677',
  '#332288',
  '#DDCC77',
  '#117733',
  '#88CCEE',
  '#882255',
  '#44AA99',
  '#999933',
  '#AA4499',
];

/** Colour of type 1, 2, … */
export function typeColor(type: number): string {
  const n = TYPE_COLORS.length;
  return TYPE_COLORS[(((type - 1) % n) + n) % n];
}

function luminance(hex: string): number {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) return 1;
  const v = parseInt(m[1], 16);
  const ch = [(v >> 16) & 255, (v >> 8) & 255, v & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2];
}

/** WCAG contrast ratio of two colours. */
export function contrastRatio(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

/** Text colour on a fill: near-black or white, whichever contrasts more. */
export function textOn(fill: string): '#131525' | '#ffffff' {
  return contrastRatio(fill, '#131525') >= contrastRatio(fill, '#ffffff') ? '#131525' : '#ffffff';
}

// Saved typologies (indicator `<key>_typ`) elsewhere in the monitor

/**
 * The types of a saved typology indicator from its lineage (`kind: "typology"`, with the type
 * numbers and descriptions), or null for any other indicator — then the value is a number, not a type.
 */
export function typesOfLineage(lineage: unknown): { type: number; description: string }[] | null {
  if (!lineage || typeof lineage !== 'object') return null;
  const l = lineage as { kind?: unknown; types?: unknown };
  if (l.kind !== 'typology' || !Array.isArray(l.types)) return null;
  const out: { type: number; description: string }[] = [];
  for (const x of l.types as { type?: unknown; description?: unknown }[]) {
    if (x && typeof x.type === 'number')
      out.push({ type: x.type, description: typeof x.description === 'string' ? x.description : '' });
  }
  return out.sort((a, b) => a.type - b.type);
}
