// Start page for the public and leadership (issue #15, item 11) at the root `/`: the "Mein
// Stadtteil" search first (a Stadtteil by name, or a street where the address register exists),
// the key figures of the whole city (the cockpit's figures and gauges, each with value, unit,
// reference date, change and source), a link to the cockpit, and the indicators grouped and
// sorted by theme. Everything comes from the existing API (/api/cockpit, /api/indicators, /api/places).
import { useApp } from '../context.ts';
import { useApi, type IndicatorInfo, type IndicatorTile, type Tile, apiPath } from '../api.ts';
import { AreaSearch } from '../components/AreaSearch.tsx';
import { WithCatalog } from '../components/Catalog.tsx';
import { Link } from '../components/Link.tsx';
import { FigureTile } from './Cockpit.tsx';
import { indicatorsByTheme } from './common.ts';

/** At most this many key figures on the start page (the cockpit shows them all). */
const MAX_FIGURES = 4;

/**
 * The key figures: the cockpit's figure and gauge tiles for one area (the city), each indicator
 * once, shown as figures with their change.
 */
function keyFigureTiles(tiles: readonly Tile[]): IndicatorTile[] {
  const seen = new Set<string>();
  const out: IndicatorTile[] = [];
  for (const x of tiles) {
    if (x.type === 'map' || x.type === 'measures' || !x.area || seen.has(x.indicator)) continue;
    seen.add(x.indicator);
    out.push({
      id: x.id,
      type: 'figure',
      indicator: x.indicator,
      layer: x.layer,
      area: x.area,
      ...(x.period ? { period: x.period } : {}),
      ...(x.filter ? { filter: x.filter } : {}),
      ...(x.type === 'figure' && x.title ? { title: x.title } : {}),
    });
  }
  return out.slice(0, MAX_FIGURES);
}

export function StartView() {
  const { t, href } = useApp();
  return (
    <section class="km-view km-start" aria-labelledby="view-title">
      <h1 class="kern-heading-large km-view__title" id="view-title" tabIndex={-1}>
        {t('start.title')}
      </h1>
      <p class="km-start__intro">{t('start.intro')}</p>
      <section class="km-section km-start__mine" aria-labelledby="start-mine">
        <h2 class="kern-heading-medium" id="start-mine">
          {t('start.mine')}
        </h2>
        <p class="km-muted">{t('start.mineIntro')}</p>
        <AreaSearch id="start-search" />
      </section>
      <WithCatalog>
        {(_layers, indicators) => (
          <>
            <KeyFigures indicators={indicators} />
            <Themes indicators={indicators} />
          </>
        )}
      </WithCatalog>
      <section class="km-section" aria-labelledby="start-more">
        <h2 class="kern-heading-medium" id="start-more">
          {t('start.more')}
        </h2>
        <ul class="km-start__views">
          <li>
            <Link href={href('atlas')}>{t('view.atlas')}</Link>: {t('start.atlasText')}
          </li>
          <li>
            <Link href={href('vergleich')}>{t('view.vergleich')}</Link>: {t('start.compareText')}
          </li>
          <li>
            <Link href={href('zeitreihe')}>{t('view.zeitreihe')}</Link>: {t('start.timeText')}
          </li>
        </ul>
      </section>
    </section>
  );
}

function KeyFigures({ indicators }: { indicators: IndicatorInfo[] }) {
  const { t, href } = useApp();
  const cockpit = useApi(apiPath('GET /api/cockpit'));
  const byKey = new Map(indicators.map((i) => [i.key, i]));
  const tiles = keyFigureTiles(cockpit.data?.tiles ?? []).filter((x) => byKey.has(x.indicator));
  return (
    <section class="km-section km-start__figures" aria-labelledby="start-figures">
      <h2 class="kern-heading-medium" id="start-figures">
        {t('start.figures')}
      </h2>
      {tiles.length > 0 && (
        <ul class="km-tiles">
          {tiles.map((tile) => {
            const ind = byKey.get(tile.indicator)!;
            return (
              <li
                key={tile.id}
                class="km-tile km-tile--figure"
                data-tile={tile.id}
                aria-labelledby={`start-tile-${tile.id}`}
              >
                <h3 class="kern-heading-small" id={`start-tile-${tile.id}`}>
                  {tile.title || ind.name}
                </h3>
                <FigureTile tile={tile} indicator={ind} />
              </li>
            );
          })}
        </ul>
      )}
      <p>
        <Link href={href('cockpit')} class="kern-link km-start__cockpit">
          {t('start.toCockpit')}
        </Link>
      </p>
    </section>
  );
}

function Themes({ indicators }: { indicators: IndicatorInfo[] }) {
  const { t, href } = useApp();
  const groups = indicatorsByTheme(indicators);
  return (
    <section class="km-section km-start__themes" aria-labelledby="start-themes">
      <h2 class="kern-heading-medium" id="start-themes">
        {t('start.themes')}
      </h2>
      {groups.map(({ theme, indicators: list }) => (
        <details key={theme} class="km-start__theme" data-theme={theme}>
          <summary>{t('start.themeCount', { theme, n: list.length })}</summary>
          <ul>
            {list.map((i) => (
              <li key={i.key}>
                <Link href={href('indikator', { indicator: i.key })}>{i.name}</Link>
              </li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
}
