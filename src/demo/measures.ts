// Neighbourhood measures for the demo city (issue #17): about 150 plausible measures and projects
// of several departments and providers, seeded (the same Stadtteile and seed give the same
// measures). Most are placed where need is high (by the Stadtteil's rank of need), some — about a
// quarter — at random, so the gap analysis has something to find: measures in the wrong places
// and high-need areas without any.
import type { Measure, MeasureStatus } from '../core/measures.ts';
import { Rng } from './random.ts';

export interface DemoNeedArea {
  code: string;
  name: string;
  /** A need figure (higher = more need), e.g. the share of children in poverty. */
  need: number;
}

/** The demo's measures are judged on this date (their status: planned, running, completed). */
const DEMO_MEASURES_REFERENCE = '2024-12-31';

const TEMPLATES: {
  department: string;
  fields: string[];
  groups: string[];
  titles: string[];
  budget: [number, number];
}[] = [
  {
    department: 'jugend',
    fields: ['jugend'],
    groups: ['kinder_10_15', 'jugendliche_15_18'],
    titles: ['Mobile Jugendarbeit', 'Offener Jugendtreff', 'Streetwork', 'Jugendforum', 'Ferienangebote im Quartier'],
    budget: [15_000, 180_000],
  },
  {
    department: 'jugend',
    fields: ['jugend', 'schule'],
    groups: ['kinder_6_10'],
    titles: ['Schulhof als Spielraum', 'Ferienprogramm vor Ort', 'Kinderclub am Nachmittag', 'Spielmobil'],
    budget: [8_000, 90_000],
  },
  {
    department: 'jugend',
    fields: ['familie', 'fruehe_bildung'],
    groups: ['kinder_unter6', 'familien'],
    titles: ['Frühe Hilfen', 'Familienbüro', 'Babylotsen', 'Elterncafé'],
    budget: [20_000, 140_000],
  },
  {
    department: 'bildung',
    fields: ['schule'],
    groups: ['kinder_6_10', 'kinder_10_15'],
    titles: ['Lernwerkstatt', 'Hausaufgabenhilfe', 'Lesepaten', 'Sprachförderung an Grundschulen'],
    budget: [10_000, 120_000],
  },
  {
    department: 'bildung',
    fields: ['uebergang_schule_beruf'],
    groups: ['jugendliche_15_18', 'junge_erwachsene_18_25'],
    titles: ['Berufsorientierung im Stadtteil', 'Ausbildungslotsen', 'Jugendberufsagentur vor Ort'],
    budget: [30_000, 250_000],
  },
  {
    department: 'kita',
    fields: ['fruehe_bildung'],
    groups: ['kinder_unter6'],
    titles: ['Kita-Einstieg', 'Sprach-Kita', 'Familienzentrum an der Kita'],
    budget: [25_000, 200_000],
  },
  {
    department: 'soziales',
    fields: ['teilhabe', 'familie'],
    groups: ['alleinerziehende', 'familien'],
    titles: ['Beratung für Alleinerziehende', 'Quartiersmanagement', 'Stadtteilmütter', 'Sozialberatung im Quartier'],
    budget: [20_000, 220_000],
  },
  {
    department: 'soziales',
    fields: ['wohnumfeld', 'teilhabe'],
    groups: ['alle'],
    titles: ['Nachbarschaftstreff', 'Quartiersfonds', 'Gemeinschaftsgarten'],
    budget: [5_000, 80_000],
  },
  {
    department: 'gesundheit',
    fields: ['gesundheit'],
    groups: ['kinder_6_10', 'kinder_unter6'],
    titles: ['Zahngesundheit in Kitas und Schulen', 'Bewegte Kindheit', 'Gesund aufwachsen im Quartier'],
    budget: [10_000, 100_000],
  },
  {
    department: 'gesundheit',
    fields: ['gesundheit'],
    groups: ['senioren_65plus'],
    titles: ['Gesundheitslotsen', 'Bewegung im Alter'],
    budget: [8_000, 60_000],
  },
];

const PROVIDERS = [
  { id: 'DE-MS-TR-AWO', name: 'AWO Kreisverband Musterstadt e. V.' },
  { id: 'DE-MS-TR-CARITAS', name: 'Caritasverband Musterstadt e. V.' },
  { id: 'DE-MS-TR-DIAKONIE', name: 'Diakonisches Werk Musterstadt' },
  { id: 'DE-MS-TR-DRK', name: 'DRK-Kreisverband Musterstadt e. V.' },
  { id: 'DE-MS-TR-PARITAET', name: 'Paritätisches Jugendwerk Musterstadt' },
  { id: 'DE-MS-TR-KINDERHAUS', name: 'Kinderhaus im Quartier e. V.' },
  { id: 'DE-MS-TR-BILDUNGSWERK', name: 'Bildungswerk Musterstadt gGmbH' },
  { id: 'DE-MS-TR-SPORTBUND', name: 'Stadtsportbund Musterstadt e. V.' },
];

const PROGRAMMES = [
  { code: 'sozialer_zusammenhalt', title: 'Sozialer Zusammenhalt (Städtebauförderung)' },
  { code: 'esf_plus', title: 'ESF Plus' },
  { code: 'kommunale_praevention', title: 'Kommunale Präventionsketten' },
  { code: 'startchancen', title: 'Startchancen-Programm' },
];
const SOURCES = ['Eigenmittel', 'Landesmittel', 'Bundesmittel', 'EU-Mittel', 'Stiftungsmittel'];

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** About 150 measures over the Stadtteile (codes of the current boundary version). */
export function demoMeasures(areas: readonly DemoNeedArea[], seed = 1, count = 150): Measure[] {
  if (!areas.length) return [];
  const rng = new Rng(seed * 7919 + 17);
  const byNeed = [...areas].sort((a, b) => b.need - a.need || (a.code < b.code ? -1 : 1));
  // Weighted towards high need: the i-th neediest area with weight ~ 1/(i+2) — but a quarter of
  // the measures land anywhere (planning by habit, not by need).
  const weights = byNeed.map((_, i) => 1 / (i + 2));
  const total = weights.reduce((t, w) => t + w, 0);
  const pick = () => {
    if (rng.next() < 0.25) return byNeed[rng.int(byNeed.length)];
    let u = rng.next() * total;
    for (let i = 0; i < byNeed.length; i++) if ((u -= weights[i]) <= 0) return byNeed[i];
    return byNeed[byNeed.length - 1];
  };
  const out: Measure[] = [];
  const counters = new Map<string, number>();
  for (let k = 0; k < count; k++) {
    const t = TEMPLATES[rng.int(TEMPLATES.length)];
    const n = (counters.get(t.department) ?? 0) + 1;
    counters.set(t.department, n);
    const area = pick();
    const second = rng.next() < 0.2 ? pick() : null;
    const title = `${t.titles[rng.int(t.titles.length)]} ${area.name}`;
    const startYear = 2019 + rng.int(7);
    const start = iso(startYear, 1 + rng.int(12), 1);
    const years = 1 + rng.int(4);
    const endDate = new Date(Date.UTC(startYear + years, Number(start.slice(5, 7)) - 1, 0));
    const end = endDate.toISOString().slice(0, 10);
    let status: MeasureStatus =
      start > DEMO_MEASURES_REFERENCE ? 'geplant' : end < DEMO_MEASURES_REFERENCE ? 'abgeschlossen' : 'laufend';
    if (status !== 'geplant' && rng.next() < 0.05) status = 'abgebrochen';
    const delay = rng.next() < 0.3 ? 1 + rng.int(3) : 0;
    const actualStart =
      status === 'geplant' ? null : iso(startYear, Math.min(12, Number(start.slice(5, 7)) + delay), 1);
    // A stopped measure ended half a year after it started.
    const stoppedAt = actualStart
      ? new Date(Date.UTC(Number(actualStart.slice(0, 4)), Number(actualStart.slice(5, 7)) + 5, 0))
          .toISOString()
          .slice(0, 10)
      : null;
    const actual = {
      start: actualStart,
      end:
        status === 'abgeschlossen'
          ? actualStart && actualStart > end
            ? actualStart
            : end
          : status === 'abgebrochen'
            ? stoppedAt
            : null,
    };
    const budget = [];
    for (let y = startYear; y <= Number(end.slice(0, 4)); y++) {
      const planned = Math.round(rng.range(t.budget[0], t.budget[1]) / 100) * 10_000 + rng.int(100);
      const spent = y < 2025 && status !== 'geplant' ? Math.round(planned * rng.range(0.7, 1.02)) : null;
      budget.push({ year: y, plannedCents: planned, spentCents: spent });
    }
    const provider = rng.next() < 0.8 ? PROVIDERS[rng.int(PROVIDERS.length)] : null;
    const programme = rng.next() < 0.45 ? PROGRAMMES[rng.int(PROGRAMMES.length)] : null;
    const key = `360G-musterstadt-${t.department}-${String(n).padStart(4, '0')}`;
    out.push({
      key,
      title,
      description: `${t.titles[0]} und verwandte Angebote für ${area.name}${provider ? ` in Trägerschaft von ${provider.name}` : ' in eigener Trägerschaft'}.`,
      department: t.department,
      departmentName: null,
      provider,
      programme,
      fundingSource: SOURCES[rng.int(SOURCES.length)],
      status,
      awardDate: iso(startYear - (rng.next() < 0.5 ? 1 : 0), 1 + rng.int(12), 15),
      planned: { start, end },
      actual,
      confidentiality: rng.next() < 0.85 ? 'public' : 'internal',
      contact: {
        role: `Koordination ${t.fields[0].replace(/_/g, ' ')}`,
        email: `${t.department}-projekte@musterstadt.example`,
      },
      budget,
      locations: [
        { kind: 'area', layer: 'stadtteil', code: area.code, name: area.name },
        ...(second && second.code !== area.code
          ? [{ kind: 'area' as const, layer: 'stadtteil', code: second.code, name: second.name }]
          : []),
      ],
      fields: t.fields,
      targetGroups: [t.groups[rng.int(t.groups.length)]],
      goals: [
        {
          title: 'Erreichte Teilnehmende',
          indicator: null,
          unit: 'Personen',
          baseline: 0,
          target: 20 + rng.int(200),
          actuals: status === 'geplant' ? [] : [{ period: String(Math.min(2024, startYear + 1)), value: rng.int(150) }],
        },
      ],
      milestones: [{ title: 'Start', due: start, done: actualStart }],
      links: [],
      extra: {},
    });
  }
  return out;
}
