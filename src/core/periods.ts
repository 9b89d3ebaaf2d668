// Periods of observations: reference dates (Stichtag), years, school years, months, quarters.
// Each period has a canonical key, a type, a start and an end date; the end date is the
// reference date used to choose the boundary version valid for the period.

export type PeriodType = 'date' | 'year' | 'school_year' | 'month' | 'quarter';

export interface Period {
  /** Canonical key: "2020-12-31", "2020", "2023/24", "2020-03", "2020-Q1". */
  key: string;
  type: PeriodType;
  /** ISO date of the first day. */
  start: string;
  /** ISO date of the last day (the reference date). */
  end: string;
}

/** School years run from 1 August to 31 July (the usual German Schuljahr). */
const SCHOOL_YEAR_START_MONTH = 8;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function isoDate(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m)}-${pad(d)}`;
}

function validDate(y: number, m: number, d: number): boolean {
  return y >= 1800 && y <= 2200 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function dateP(y: number, m: number, d: number): Period | null {
  if (!validDate(y, m, d)) return null;
  const k = isoDate(y, m, d);
  return { key: k, type: 'date', start: k, end: k };
}
function yearP(y: number): Period | null {
  if (y < 1800 || y > 2200) return null;
  return { key: String(y), type: 'year', start: isoDate(y, 1, 1), end: isoDate(y, 12, 31) };
}
function monthP(y: number, m: number): Period | null {
  if (y < 1800 || y > 2200 || m < 1 || m > 12) return null;
  return { key: `${y}-${pad(m)}`, type: 'month', start: isoDate(y, m, 1), end: isoDate(y, m, daysInMonth(y, m)) };
}
function quarterP(y: number, q: number): Period | null {
  if (y < 1800 || y > 2200 || q < 1 || q > 4) return null;
  const m0 = (q - 1) * 3 + 1;
  return {
    key: `${y}-Q${q}`,
    type: 'quarter',
    start: isoDate(y, m0, 1),
    end: isoDate(y, m0 + 2, daysInMonth(y, m0 + 2)),
  };
}
function schoolYearP(y: number, y2: number): Period | null {
  if (y < 1800 || y > 2200 || y2 !== y + 1) return null;
  const sm = SCHOOL_YEAR_START_MONTH;
  return {
    key: `${y}/${pad(y2 % 100)}`,
    type: 'school_year',
    start: isoDate(y, sm, 1),
    end: isoDate(y + 1, sm - 1, daysInMonth(y + 1, sm - 1)),
  };
}

/**
 * Parses a period as written in German and international files.
 * Accepted: 2020-12-31, 31.12.2020, 31.12.20 is NOT accepted (ambiguous century);
 * 2020; 2023/24, 2023/2024, SJ 2023/24; 2020-03, 03/2020, 03.2020; 2020-Q1, Q1/2020, Q1 2020, 1. Quartal 2020.
 * Returns null when the text is not a period.
 */
export function parsePeriod(text: string): Period | null {
  const s = text.trim().replace(/\s+/g, ' ');
  let m: RegExpMatchArray | null;
  if ((m = s.match(/^(\d{4})-(\d{2})-(\d{2})$/))) return dateP(+m[1], +m[2], +m[3]);
  if ((m = s.match(/^(\d{1,2})\.(\d{1,2})\.(\d{4})$/))) return dateP(+m[3], +m[2], +m[1]);
  if ((m = s.match(/^(\d{4})$/))) return yearP(+m[1]);
  if ((m = s.match(/^(?:SJ ?|Schuljahr )?(\d{4}) ?\/ ?(\d{2}|\d{4})$/i))) {
    const y = +m[1];
    const y2 =
      m[2].length === 2 ? Math.floor(y / 100) * 100 + +m[2] + ((y % 100) + 1 === 100 && +m[2] === 0 ? 100 : 0) : +m[2];
    return schoolYearP(y, y2);
  }
  if ((m = s.match(/^(\d{4})-(\d{2})$/))) return monthP(+m[1], +m[2]);
  if ((m = s.match(/^(\d{1,2})[./](\d{4})$/))) return monthP(+m[2], +m[1]);
  if ((m = s.match(/^(\d{4}) ?-? ?Q([1-4])$/i))) return quarterP(+m[1], +m[2]);
  if ((m = s.match(/^Q([1-4]) ?[/ -]? ?(\d{4})$/i))) return quarterP(+m[2], +m[1]);
  if ((m = s.match(/^([1-4])\. ?Quartal ?(\d{4})$/i))) return quarterP(+m[2], +m[1]);
  return null;
}

export const PERIOD_HINT =
  'Write periods as a date (2020-12-31 or 31.12.2020), a year (2020), a school year (2023/24), a month (2020-03 or 03/2020) or a quarter (2020-Q1).';

/** German display form: 31.12.2020, 2020, 2023/24, 03/2020, 1. Quartal 2020. */
export function formatPeriodGerman(p: Period): string {
  switch (p.type) {
    case 'date': {
      const [y, m, d] = p.key.split('-');
      return `${d}.${m}.${y}`;
    }
    case 'month': {
      const [y, m] = p.key.split('-');
      return `${m}/${y}`;
    }
    case 'quarter': {
      const [y, q] = p.key.split('-Q');
      return `${q}. Quartal ${y}`;
    }
    default:
      return p.key;
  }
}
