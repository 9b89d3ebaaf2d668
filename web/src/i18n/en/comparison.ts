// English texts: the comparison between municipalities (Kommunalvergleich).
import type { comparison as de } from '../de/comparison.ts';

export const comparison: Record<keyof typeof de, string> = {
  'kv.title': 'Municipal comparison',
  'kv.intro':
    'Your municipality beside up to ten others: standard indicators over time, similar municipalities and a ranking. Each municipality computes its values itself and publishes only what is public; withheld values stay withheld.',
  'kv.unavailableTitle': 'Municipal comparison not available',
  'kv.unavailable':
    'The municipal comparison needs an installation with several municipalities (a PostgreSQL server with tenants). This installation holds one municipality only.',
  'kv.nothingPublished': 'No municipality has published values for the comparison yet.',
  'kv.ownNotPublished': 'Your municipality has not published values for the comparison yet; only the others are shown.',
  'kv.chooseMunicipalities': 'Municipalities to compare (at most {n})',
  'kv.chosen': '{n} of at most {max} chosen',
  'kv.noOthers': 'No other municipality has published values.',
  'kv.chooseIndicators': 'Standard indicators',
  'kv.noIndicators': 'Choose at least one standard indicator.',
  'kv.seriesTitle': 'Over time',
  'kv.basis': 'Definition following: {basis}.',
  'kv.chartLabel': 'Line chart {indicator}: {names}. The values are also in the table below.',
  'kv.table': 'Values as a table',
  'kv.municipality': 'Municipality',
  'kv.own': 'your municipality',
  'kv.similarTitle': 'Similar municipalities',
  'kv.similarMethod':
    'Method: each chosen indicator is z-standardised across the {n} municipalities with complete values on {date} (mean 0, population standard deviation 1); ordered by the Euclidean distance to your municipality – the smaller, the more similar.',
  'kv.similarNoCommon':
    'There is no reference date on which your municipality and another have values of every chosen indicator.',
  'kv.similarNoOwn': 'Your municipality has published no values of the chosen indicators.',
  'kv.similarConstant': '{n} indicator(s) without spread were left out.',
  'kv.distance': 'distance {d}',
  'kv.add': 'Add to the comparison',
  'kv.addNamed': 'Add to the comparison: {name}',
  'kv.rankingTitle': 'Ranking',
  'kv.rankingCaption': 'Ranking {indicator} on {date}',
  'kv.rankingEmpty': 'There are no published values for this choice.',
  'kv.level': 'Level',
  'kv.levelTerritory': 'Whole municipality',
  'kv.levelDistrict': 'Districts (where published)',
  'kv.referenceDate': 'Reference date',
  'kv.rank': 'Rank',
  'kv.rankTied': '{rank} (shared)',
  'kv.status': 'Status',
  'kv.rankingNote':
    'Ordered from the highest to the lowest value; equal values share a rank. Withheld values have no rank. Direction of the indicator: {polarity}.',
  'kv.polarity.higher_is_better': 'higher is better',
  'kv.polarity.higher_is_worse': 'higher is worse',
  'kv.polarity.neutral': 'no judgement',
};
