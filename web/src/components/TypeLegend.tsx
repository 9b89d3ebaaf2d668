// Legend of a categorical map of types (a typology): the type number on its colour, the generated
// description and the number of areas of each type, and the pattern for areas without a type.
import { useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { textOn, typeColor } from '../../../src/core/stats/typology-types.ts';
import { PatternDefs } from './Map.tsx';

let counter = 0;

/** The type number on the type's colour (aria-hidden: the text next to it names the type). */
export function TypeBadge({ type }: { type: number }) {
  const c = typeColor(type);
  return (
    <span class="km-typebadge" style={{ background: c, color: textOn(c) }} aria-hidden="true">
      {type}
    </span>
  );
}

export function TypeLegend(p: {
  types: { type: number; n: number; description: string }[];
  untyped: number;
  title?: string;
  class?: string;
}) {
  const { t } = useApp();
  const [prefix] = useState(() => `km-typelegend-${++counter}`);
  const areas = (n: number) => (n === 1 ? t('legend.area') : t('legend.areas', { n }));
  return (
    <div class={`km-legend km-typ-legend ${p.class ?? ''}`}>
      <svg width="0" height="0" class="km-defs" aria-hidden="true" focusable="false">
        <PatternDefs prefix={prefix} />
      </svg>
      <h3 class="kern-title kern-title--small km-legend__title">{p.title ?? t('typ.legend')}</h3>
      <ul class="km-legend__list">
        {p.types.map((x) => (
          <li key={x.type} class="km-legend__item km-typ-legend__item">
            <TypeBadge type={x.type} />
            <span class="km-legend__label">
              <strong>{t('typ.typeN', { n: x.type })}</strong> <span class="km-typ-legend__desc">{x.description}</span>
            </span>
            <span class="km-legend__count">{areas(x.n)}</span>
          </li>
        ))}
      </ul>
      {p.untyped > 0 && (
        <ul class="km-legend__list km-legend__list--status">
          <li class="km-legend__item">
            <svg class="km-swatch" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
              <rect width="16" height="16" fill={`url(#${prefix}-missing)`} stroke="#6e7597" />
            </svg>
            <span class="km-legend__label">{t('typ.noType')}</span>
            <span class="km-legend__count">{areas(p.untyped)}</span>
          </li>
        </ul>
      )}
      <p class="km-legend__note">{t('typ.legendNote')}</p>
    </div>
  );
}
