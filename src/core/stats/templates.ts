// Index definitions shipped ready to use (issue #5): a status and a dynamics index in the manner of
// Berlin's Monitoring Soziale Stadtentwicklung, and an education-participation index
// (Bildungsteilhabeindex) for primary-school catchments. Indicator keys are those of the demo
// catalogue; layer and period are placeholders the user sets (the CLI's --period overrides period).
import { parseIndexDefinition, type IndexDefinition, type IndexDefinitionInput } from './index-definition.ts';

const MSS_COMPONENTS = [
  { indicator: 'arbeitslose_anteil', weight: 1, direction: 1 as const },
  { indicator: 'transferbezug_anteil', weight: 1, direction: 1 as const },
  { indicator: 'kinderarmut_anteil', weight: 1, direction: 1 as const },
];

const MSS_EXCLUDE = { minBase: { indicator: 'einwohner', min: 300 }, areas: [] };

/** Status index: z-scores (population sd) of three shares, summed, standardised again; −1 / +1 / +1.5. */
const STATUS_TEMPLATE: IndexDefinitionInput = {
  key: 'status',
  name: 'Statusindex',
  description:
    'Soziale Lage: Arbeitslosigkeit, Transferbezug und Kinderarmut, z-standardisiert, gleich gewichtet summiert und erneut standardisiert (in der Art des Berliner MSS).',
  layer: 'planungsraum',
  period: '2020-12-31',
  components: MSS_COMPONENTS,
  transform: { method: 'zscore', sd: 'population' },
  combine: 'sum',
  restandardize: true,
  classes: {
    method: 'thresholds',
    breaks: [-1, 1, 1.5],
    labels: ['hoch', 'mittel', 'niedrig', 'sehr niedrig'],
    closed: 'centre',
  },
  exclude: MSS_EXCLUDE,
  missing: 'exclude',
};

/** Dynamics index: the same machinery on the two-year changes (percentage points) of the same shares. */
export const DYNAMICS_TEMPLATE: IndexDefinitionInput = {
  key: 'dynamik',
  name: 'Dynamikindex',
  description:
    'Veränderung der sozialen Lage über zwei Jahre (Prozentpunkte) der drei Statusindikatoren; unter −1 positiv, −1 bis +1 stabil, über +1 negativ.',
  layer: 'planungsraum',
  period: '2020-12-31',
  change: { from: '2018-12-31' },
  components: MSS_COMPONENTS,
  transform: { method: 'zscore', sd: 'population' },
  combine: 'sum',
  restandardize: true,
  classes: { method: 'thresholds', breaks: [-1, 1], labels: ['positiv', 'stabil', 'negativ'], closed: 'centre' },
  exclude: MSS_EXCLUDE,
  missing: 'exclude',
};

/** Bildungsteilhabeindex per primary-school catchment: poverty, family crises, kindergarten, language support. */
const EDUCATION_TEMPLATE: IndexDefinitionInput = {
  key: 'bildungsteilhabe',
  name: 'Bildungsteilhabeindex',
  description:
    'Handlungsbedarf für Bildungsteilhabe je Grundschulbezirk: Kinderarmut (SGB II), Hilfen zur Erziehung, Kita-Besuchsdauer (kürzer = höherer Bedarf) und Sprachförderbedarf; Quintile. Kinderarmut und Hilfen zur Erziehung zum letzten Stichtag im Schuljahr.',
  layer: 'grundschulbezirk',
  period: '2023/24',
  components: [
    { indicator: 'kinderarmut_anteil', weight: 1, direction: 1, period: 'within' },
    { indicator: 'hze_quote', weight: 1, direction: 1, period: 'within' },
    { indicator: 'seu_kita_dauer', weight: 1, direction: -1 },
    { indicator: 'sprachfoerderbedarf_anteil', weight: 1, direction: 1 },
  ],
  transform: { method: 'zscore', sd: 'population' },
  combine: 'mean',
  restandardize: true,
  classes: { method: 'quantiles', n: 5, labels: ['sehr gering', 'gering', 'mittel', 'hoch', 'sehr hoch'] },
  missing: 'exclude',
};

export const INDEX_TEMPLATES: Record<string, IndexDefinitionInput> = {
  status: STATUS_TEMPLATE,
  dynamik: DYNAMICS_TEMPLATE,
  bildungsteilhabe: EDUCATION_TEMPLATE,
};

/** A template, validated, with layer and period set (a copy; the templates themselves never change). */
export function indexTemplate(
  name: keyof typeof INDEX_TEMPLATES | string,
  overrides: Partial<IndexDefinitionInput> = {},
): IndexDefinition {
  const t = INDEX_TEMPLATES[name];
  if (!t) throw new RangeError(`unknown index template "${name}"; known: ${Object.keys(INDEX_TEMPLATES).join(', ')}`);
  return parseIndexDefinition(structuredClone({ ...t, ...overrides }));
}
