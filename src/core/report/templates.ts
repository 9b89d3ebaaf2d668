// The shipped report templates: definitions with parameters, made into reports of an
// installation on first use (`report templates` lists them). They name the demo city's
// indicators; an installation edits its copy or writes its own.
import type { ReportDefinition } from './model.ts';

export interface ShippedTemplate {
  key: string;
  /** German description for lists. */
  description: string;
  definition: ReportDefinition;
}

const STADTTEILPROFIL: ReportDefinition = {
  key: 'stadtteilprofil',
  title: 'Stadtteilprofil',
  subtitle: '{{ name area=$area }}',
  owner: 'statistik',
  parameters: [{ name: 'area', layer: 'stadtteil', label: 'Stadtteil' }],
  sections: [
    {
      title: 'Auf einen Blick',
      blocks: [
        {
          key: 'einleitung',
          spec: {
            type: 'text',
            markdown:
              'Im Stadtteil **{{ name area=$area }}** lebten am {{ period einwohner }} {{ value einwohner area=$area }} Menschen. ' +
              'Der Anteil der Kinder unter 6 Jahren liegt bei {{ value anteil_unter6 area=$area }} ' +
              '(Gesamtstadt: {{ value anteil_unter6 }}), der Anteil der Einwohner ab 65 Jahren bei {{ value anteil_65plus area=$area }}.\n\n' +
              'Dieses Profil stellt die wichtigsten Kennzahlen des Stadtteils aus der kommunalen Statistik zusammen:\n\n' +
              '- Bevölkerung und Altersstruktur\n- soziale Lage\n- frühe Bildung und Übergänge\n- Maßnahmen und die Themen junger Menschen',
          },
        },
        {
          key: 'kennzahlen',
          spec: {
            type: 'key-figure',
            indicators: ['einwohner', 'anteil_unter6', 'anteil_65plus', 'arbeitslose_anteil'],
            layer: 'stadtteil',
            area: '$area',
            compare: 'previous',
          },
        },
      ],
    },
    {
      title: 'Bevölkerung',
      blocks: [
        {
          key: 'einwohner-verlauf',
          spec: {
            type: 'data',
            title: 'Einwohner im Zeitverlauf',
            indicators: ['einwohner'],
            layer: 'stadtteil',
            areas: ['$area'],
            view: 'line',
          },
        },
        {
          key: 'spine',
          spec: {
            type: 'spine',
            title: 'Der Stadtteil im Vergleich aller Stadtteile',
            layer: 'stadtteil',
            area: '$area',
            indicators: [
              'anteil_unter6',
              'anteil_65plus',
              'anteil_80plus',
              'anteil_nichtdeutsch',
              'arbeitslose_anteil',
              'transferbezug_anteil',
              'kinderarmut_anteil',
              'kita_quote_3_6',
              'uebergang_gymnasium_anteil',
            ],
          },
        },
        {
          key: 'karte-unter6',
          spec: {
            type: 'map',
            title: 'Anteil der Kinder unter 6 Jahren nach Stadtteilen',
            indicator: 'anteil_unter6',
            layer: 'stadtteil',
            highlight: '$area',
          },
        },
      ],
    },
    {
      title: 'Soziale Lage',
      blocks: [
        {
          key: 'soziales-kennzahlen',
          spec: {
            type: 'key-figure',
            indicators: ['transferbezug_anteil', 'kinderarmut_anteil'],
            layer: 'stadtteil',
            area: '$area',
            compare: 'previous',
          },
        },
        {
          key: 'soziales-tabelle',
          spec: {
            type: 'data',
            title: 'Soziale Lage',
            indicators: ['arbeitslose', 'arbeitslose_anteil', 'transferbezug', 'transferbezug_anteil'],
            layer: 'stadtteil',
            areas: ['$area'],
            view: 'table',
            withCity: true,
          },
        },
        {
          key: 'kinderarmut-verlauf',
          spec: {
            type: 'data',
            title: 'Kinderarmut im Zeitverlauf',
            indicators: ['kinderarmut_anteil'],
            layer: 'stadtteil',
            areas: ['$area'],
            view: 'line',
            withCity: true,
          },
        },
        {
          key: 'karte-kinderarmut',
          spec: {
            type: 'map',
            title: 'Kinderarmut nach Stadtteilen',
            indicator: 'kinderarmut_anteil',
            layer: 'stadtteil',
            highlight: '$area',
          },
        },
      ],
    },
    {
      title: 'Frühe Bildung und Übergänge',
      blocks: [
        {
          key: 'bildung-kennzahlen',
          spec: {
            type: 'key-figure',
            indicators: ['kita_quote_unter3', 'kita_quote_3_6', 'uebergang_gymnasium_anteil'],
            layer: 'stadtteil',
            area: '$area',
            compare: 'previous',
          },
        },
        {
          key: 'kita-verlauf',
          spec: {
            type: 'data',
            title: 'Kita-Besuchsquote der 3- bis 6-Jährigen im Zeitverlauf',
            indicators: ['kita_quote_3_6'],
            layer: 'stadtteil',
            areas: ['$area'],
            view: 'line',
            withCity: true,
          },
        },
        {
          key: 'karte-kita',
          spec: {
            type: 'map',
            title: 'Kita-Besuchsquote der 3- bis 6-Jährigen nach Stadtteilen',
            indicator: 'kita_quote_3_6',
            layer: 'stadtteil',
            highlight: '$area',
          },
        },
        {
          key: 'einrichtungen',
          spec: { type: 'facilities', title: 'Einrichtungen im Stadtteil', layer: 'stadtteil', area: '$area' },
        },
      ],
    },
    {
      title: 'Maßnahmen und Beteiligung',
      blocks: [
        {
          key: 'massnahmen',
          spec: { type: 'measures', title: 'Laufende Maßnahmen im Stadtteil', layer: 'stadtteil', area: '$area' },
        },
        {
          key: 'jugendforum',
          spec: { type: 'topics', title: 'Themen des Jugendforums', layer: 'stadtteil', area: '$area' },
        },
      ],
    },
    {
      title: 'Gebietsprofil',
      blocks: [
        {
          key: 'profil',
          spec: { type: 'profile', title: 'Alle Kennzahlen des Stadtteils', layer: 'stadtteil', area: '$area' },
        },
      ],
    },
  ],
};

const SOZIALATLAS_INDICATORS: [string, string][] = [
  ['arbeitslose_anteil', 'Arbeitslosigkeit'],
  ['transferbezug_anteil', 'Transferleistungen (SGB II)'],
  ['kinderarmut_anteil', 'Kinderarmut'],
  ['anteil_nichtdeutsch', 'Nichtdeutsche Bevölkerung'],
  ['anteil_65plus', 'Ältere Menschen'],
];

const SOZIALATLAS: ReportDefinition = {
  key: 'sozialatlas',
  title: 'Sozialatlas',
  subtitle: 'Soziale Lage in den Stadtteilen',
  owner: 'soziales',
  parameters: [],
  sections: [
    {
      title: 'Einführung',
      blocks: [
        {
          key: 'einfuehrung',
          spec: {
            type: 'text',
            markdown:
              'Der Sozialatlas zeigt für jeden Stadtteil dieselben Kennzahlen der sozialen Lage, jeweils als Karte und als Tabelle. ' +
              'In der Gesamtstadt beträgt die Arbeitslosenquote {{ value arbeitslose_anteil }}, der Anteil der Kinder in Familien mit Transferbezug {{ value kinderarmut_anteil }} (Stand {{ period kinderarmut_anteil }}).',
          },
        },
        {
          key: 'gesamtstadt',
          spec: {
            type: 'key-figure',
            indicators: SOZIALATLAS_INDICATORS.map(([k]) => k),
            layer: 'gesamtstadt',
            compare: 'previous',
          },
        },
      ],
    },
    ...SOZIALATLAS_INDICATORS.map(([indicator, title]) => ({
      title,
      blocks: [
        {
          key: `karte-${indicator}`,
          spec: { type: 'map' as const, title: `${title} nach Stadtteilen`, indicator, layer: 'stadtteil' },
        },
        {
          key: `tabelle-${indicator}`,
          spec: {
            type: 'data' as const,
            title: `${title} nach Stadtteilen (Tabelle)`,
            indicators: [indicator],
            layer: 'stadtteil',
            areas: 'all' as const,
            view: 'table' as const,
            withCity: true,
          },
        },
      ],
    })),
  ],
};

const BILDUNGSBERICHT: ReportDefinition = {
  key: 'bildungsbericht-fruehe-bildung',
  title: 'Bildungsbericht',
  subtitle: 'Kapitel C: Frühe Bildung, Übergänge und Sprachförderung',
  owner: 'statistik',
  parameters: [],
  sections: [
    {
      title: 'C1 Frühe Bildung',
      blocks: [
        {
          key: 'c1-text',
          spec: {
            type: 'text',
            markdown:
              'Am {{ period kita_quote_3_6 }} besuchten in der Gesamtstadt {{ value kita_quote_3_6 }} der Kinder von 3 bis unter 6 Jahren eine Kindertageseinrichtung; ' +
              'bei den Kindern unter 3 Jahren waren es {{ value kita_quote_unter3 }}.',
          },
        },
        {
          key: 'c1-kennzahlen',
          spec: {
            type: 'key-figure',
            indicators: ['kita_quote_unter3', 'kita_quote_3_6'],
            layer: 'gesamtstadt',
            compare: 'previous',
          },
        },
        {
          key: 'c1-verlauf',
          spec: {
            type: 'data',
            title: 'Kita-Besuchsquoten der Gesamtstadt im Zeitverlauf',
            indicators: ['kita_quote_3_6'],
            layer: 'gesamtstadt',
            areas: 'all',
            view: 'line',
          },
        },
        {
          key: 'c1-bezirke',
          spec: {
            type: 'data',
            title: 'Kita-Besuchsquote der 3- bis 6-Jährigen nach Stadtbezirken',
            indicators: ['kita_quote_3_6'],
            layer: 'stadtbezirk',
            areas: 'all',
            view: 'bar',
            withCity: true,
          },
        },
      ],
    },
    {
      title: 'C2 Übergänge in die weiterführende Schule',
      blocks: [
        {
          key: 'c2-text',
          spec: {
            type: 'text',
            markdown:
              'Im Schuljahr {{ period uebergang_gymnasium_anteil }} wechselten {{ value uebergang_gymnasium_anteil }} der Schülerinnen und Schüler nach der Grundschule auf ein Gymnasium.',
          },
        },
        {
          key: 'c2-karte',
          spec: {
            type: 'map',
            title: 'Übergangsquote auf das Gymnasium nach Stadtteilen',
            indicator: 'uebergang_gymnasium_anteil',
            layer: 'stadtteil',
          },
        },
        {
          key: 'c2-bezirke',
          spec: {
            type: 'data',
            title: 'Übergänge nach Stadtbezirken',
            indicators: ['uebergaenge', 'uebergang_gymnasium_anteil'],
            layer: 'stadtbezirk',
            areas: 'all',
            view: 'table',
            withCity: true,
          },
        },
      ],
    },
    {
      title: 'C3 Sprachförderung',
      blocks: [
        {
          key: 'c3-text',
          spec: {
            type: 'text',
            markdown:
              'Die Schuleingangsuntersuchung stellt bei jedem Kind fest, ob es Sprachförderung braucht. Die Werte werden nach Grundschulbezirken ausgewiesen; kleine Zahlen werden zum Schutz der Kinder geheim gehalten.',
          },
        },
        {
          key: 'c3-karte',
          spec: {
            type: 'map',
            title: 'Sprachförderbedarf nach Grundschulbezirken',
            indicator: 'sprachfoerderbedarf_anteil',
            layer: 'grundschulbezirk',
          },
        },
        {
          key: 'c3-tabelle',
          spec: {
            type: 'data',
            title: 'Sprachförderbedarf nach Grundschulbezirken (Tabelle)',
            indicators: ['seu_untersuchte', 'seu_sprachfoerderbedarf', 'sprachfoerderbedarf_anteil'],
            layer: 'grundschulbezirk',
            areas: 'all',
            view: 'table',
          },
        },
      ],
    },
  ],
};

export const SHIPPED_TEMPLATES: ShippedTemplate[] = [
  { key: 'stadtteilprofil', description: 'Profil eines Stadtteils (Parameter: --area)', definition: STADTTEILPROFIL },
  {
    key: 'sozialatlas',
    description: 'Sozialatlas: Karte und Tabelle je Kennzahl über alle Stadtteile',
    definition: SOZIALATLAS,
  },
  {
    key: 'bildungsbericht-fruehe-bildung',
    description: 'Bildungsbericht, Kapitel frühe Bildung, Übergänge, Sprachförderung',
    definition: BILDUNGSBERICHT,
  },
];

export function shippedTemplate(key: string): ShippedTemplate | undefined {
  return SHIPPED_TEMPLATES.find((t) => t.key === key);
}
