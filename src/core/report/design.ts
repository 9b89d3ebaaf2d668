// The corporate design of an installation's reports: one look for every report in every
// format. KERN-like by default (the German administration's design system: Fira Sans, a dark
// blue, plain tables). Stored as the setting `report_design`; missing fields keep the default.

export interface ReportDesign {
  /** Shown on the title and in the footer. */
  organisation: string;
  /** Footer text beside the page number. */
  footer: string;
  /** Logo as an SVG document (inline, no network), or null. */
  logoSvg: string | null;
  colors: { primary: string; accent: string; text: string; muted: string; rule: string; tableHead: string };
  /** The font family; "Fira Sans" is bundled (KERN UX) and embedded in PDF and HTML. */
  font: string;
}

export const DEFAULT_DESIGN: ReportDesign = {
  organisation: 'Stadt Musterstadt',
  footer: 'Kommunale Statistikstelle',
  logoSvg: null,
  colors: {
    primary: '#0b3a73',
    accent: '#d6e4f5',
    text: '#1b1e23',
    muted: '#5a6270',
    rule: '#c8ced8',
    tableHead: '#eef2f8',
  },
  font: 'Fira Sans',
};

export const DESIGN_SETTING = 'report_design';

const HEX = /^#[0-9a-fA-F]{6}$/;

/** The design from a stored setting over the default; unknown or malformed fields are ignored. */
export function designFrom(stored: unknown): ReportDesign {
  if (!stored || typeof stored !== 'object') return DEFAULT_DESIGN;
  const s = stored as Partial<ReportDesign> & { colors?: Record<string, unknown> };
  const colors = { ...DEFAULT_DESIGN.colors };
  for (const k of Object.keys(colors) as (keyof ReportDesign['colors'])[]) {
    const v = s.colors?.[k];
    if (typeof v === 'string' && HEX.test(v)) colors[k] = v;
  }
  return {
    organisation:
      typeof s.organisation === 'string' && s.organisation.trim() ? s.organisation : DEFAULT_DESIGN.organisation,
    footer: typeof s.footer === 'string' ? s.footer : DEFAULT_DESIGN.footer,
    logoSvg: typeof s.logoSvg === 'string' && s.logoSvg.trimStart().startsWith('<svg') ? s.logoSvg : null,
    colors,
    font: typeof s.font === 'string' && s.font.trim() ? s.font : DEFAULT_DESIGN.font,
  };
}
