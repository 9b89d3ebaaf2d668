// Topics of the youth forum with a point, as markers on a map (the atlas overlay and the youth
// page) and as a text list beside it: keyboard first (one tab stop, arrow keys between markers,
// Enter or Space shows the topic, Escape closes), every marker with a spoken label.
import { useMemo } from 'preact/hooks';
import '../styles/topics.css';
import { useApp } from '../context.ts';
import { usePointRoving } from './point-roving.ts';
import { formatDate } from '../../../src/contracts/format.ts';
import type { Drawing } from '../../../src/core/geo/draw.ts';
import type { Key } from '../i18n/de.ts';

export interface TopicPoint {
  id: number;
  title: string;
  areaName: string | null;
  raisedOn: string;
  point: { x: number; y: number } | null;
  answer: { status: 'in_pruefung' | 'wird_umgesetzt' | 'umgesetzt' | 'abgelehnt' } | null;
}

export const withPoint = <T extends TopicPoint>(topics: T[]): (T & { point: { x: number; y: number } })[] =>
  topics.filter((t): t is T & { point: { x: number; y: number } } => t.point !== null);

function statusOf(t: (k: Key, p?: Record<string, string | number>) => string, topic: TopicPoint): string {
  return topic.answer ? t(`youth.status.${topic.answer.status}` as Key) : t('youth.noAnswer');
}

/** The markers, drawn inside the map's zoomed group. */
export function TopicMarkers({
  drawing,
  topics,
  selected,
  onSelect,
}: {
  drawing: Drawing;
  topics: TopicPoint[];
  selected: number | null;
  onSelect: (id: number | null) => void;
}) {
  const { t } = useApp();
  const pts = useMemo(
    () =>
      withPoint(topics).map((topic) => {
        const [cx, cy] = drawing.point(topic.point.x, topic.point.y);
        return { topic, code: String(topic.id), cx, cy };
      }),
    [topics, drawing],
  );
  const { tabId, onKeyDown, onPointClick } = usePointRoving(pts, 'topic', selected, onSelect);
  if (!pts.length) return null;
  return (
    <g class="km-topic-points" role="group" aria-label={t('topics.markers', { n: pts.length })} onKeyDown={onKeyDown}>
      {pts.map(({ topic, cx, cy }) => (
        <g key={topic.id} transform={`translate(${Math.round(cx * 10) / 10},${Math.round(cy * 10) / 10})`}>
          {topic.id === selected && <circle r="10" class="km-topic-halo" aria-hidden="true" />}
          <path
            d="M0,-7 L7,0 L0,7 L-7,0 Z"
            class={`km-topic-mark ${topic.id === selected ? 'km-topic-mark--selected' : ''}`}
            data-topic={topic.id}
            role="button"
            tabindex={topic.id === tabId ? 0 : -1}
            aria-label={t('topics.markerLabel', { title: topic.title, status: statusOf(t, topic) })}
            aria-pressed={topic.id === selected ? 'true' : 'false'}
            onClick={(e) => {
              e.stopPropagation();
              onPointClick(topic.id);
            }}
          />
        </g>
      ))}
    </g>
  );
}

/** The text alternative: every topic with a point, as a list; choosing one selects its marker. */
export function TopicList({
  topics,
  selected,
  onSelect,
  headingId,
}: {
  topics: TopicPoint[];
  selected: number | null;
  onSelect: (id: number | null) => void;
  headingId: string;
}) {
  const { t, lang } = useApp();
  const list = withPoint(topics);
  const chosen = list.find((x) => x.id === selected);
  return (
    <section class="km-topic-points__list" aria-labelledby={headingId}>
      <h3 class="kern-heading-small" id={headingId}>
        <span class="km-topic-swatch" aria-hidden="true" />
        {t('topics.listTitle', { n: list.length })}
      </h3>
      <div role="status" aria-live="polite">
        {chosen && (
          <p class="km-topic-detail">
            <strong>{chosen.title}</strong> – {statusOf(t, chosen)}
            {chosen.areaName ? ` · ${chosen.areaName}` : ''} ·{' '}
            {t('youth.raised', { date: formatDate(chosen.raisedOn, lang) })}
          </p>
        )}
      </div>
      {list.length === 0 ? (
        <p class="km-muted">{t('topics.none')}</p>
      ) : (
        <ul class="km-topic-list">
          {list.map((x) => (
            <li key={x.id}>
              <button
                type="button"
                class="kern-btn kern-btn--tertiary kern-btn--x-small"
                aria-pressed={x.id === selected ? 'true' : 'false'}
                onClick={() => onSelect(x.id === selected ? null : x.id)}
              >
                <span class="kern-label">{x.title}</span>
              </button>{' '}
              <span class="km-muted">{statusOf(t, x)}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
