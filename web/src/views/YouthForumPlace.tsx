// Staff place or move a topic's point (/jugendforum, "Thema bearbeiten"): a click on the small
// map of the topic's area (the map the youth page uses) fills the coordinate fields; the fields
// are the keyboard way and say exactly where the point is. Saving asks the server, which checks
// that the point lies inside the topic's area.
import { useMemo, useState } from 'preact/hooks';
import { useApp } from '../context.ts';
import { ApiError, useApi, apiPath, putJSON } from '../api.ts';
import { ChoroplethMap, type MapArea } from '../components/Map.tsx';
import { TextField, Button } from '../components/Fields.tsx';
import type { Drawing, Shape } from '../../../src/core/geo/draw.ts';

export interface PlaceableTopic {
  id: number;
  title: string;
  layer: string;
  areaCode: string;
  areaName: string | null;
  x: number | null;
  y: number | null;
}

type Act = (fn: () => Promise<unknown>, ok?: string) => Promise<void>;

const fmt = (v: number) => String(Math.round(v * 1e6) / 1e6);
/** A coordinate as typed: a point or a comma as decimal separator. */
const num = (s: string): number | null => {
  const v = Number(s.trim().replace(',', '.'));
  return s.trim() !== '' && Number.isFinite(v) ? v : null;
};

/** A transparent layer over the map that turns a click into lon/lat, and the point as a marker. */
function ClickLayer({
  drawing,
  point,
  onPick,
}: {
  drawing: Drawing;
  point: { x: number; y: number } | null;
  onPick: (lon: number, lat: number) => void;
}) {
  const at = point ? drawing.point(point.x, point.y) : null;
  return (
    <g class="km-forum__place-layer">
      <rect
        x={0}
        y={0}
        width={drawing.width}
        height={drawing.height}
        fill="transparent"
        aria-hidden="true"
        style={{ cursor: 'crosshair' }}
        data-testid="place-click"
        onClick={(e) => {
          const el = e.currentTarget as SVGGraphicsElement;
          const m = el.getScreenCTM();
          if (!m) return;
          const p = new DOMPoint((e as MouseEvent).clientX, (e as MouseEvent).clientY).matrixTransform(m.inverse());
          const [lon, lat] = drawing.invert(p.x, p.y);
          onPick(lon, lat);
        }}
      />
      {at && (
        <g
          transform={`translate(${Math.round(at[0] * 10) / 10},${Math.round(at[1] * 10) / 10})`}
          aria-hidden="true"
          pointer-events="none"
        >
          <circle r="9" class="km-topic-halo" />
          <path d="M0,-7 L7,0 L0,7 L-7,0 Z" class="km-topic-mark km-topic-mark--selected" />
        </g>
      )}
    </g>
  );
}

export function PlaceTopic({ topic, act }: { topic: PlaceableTopic; act: Act }) {
  const { t } = useApp();
  const areas = useApi(apiPath('GET /api/layers/:layer/areas', { layer: topic.layer }));
  const [lat, setLat] = useState(topic.y !== null ? fmt(topic.y) : '');
  const [lon, setLon] = useState(topic.x !== null ? fmt(topic.x) : '');
  const [bad, setBad] = useState(false);
  const shapes: Shape[] = useMemo(
    () =>
      (areas.data?.features ?? [])
        .filter((f) => f.properties.code === topic.areaCode)
        .map((f) => ({ code: f.properties.code, name: f.properties.name, geometry: f.geometry, bbox: f.bbox })),
    [areas.data, topic.areaCode],
  );
  const mapAreas = useMemo(
    () =>
      new Map<string, MapArea>(
        shapes.map((x) => [x.code, { code: x.code, name: x.name, color: '#e8e9f0', status: 'final', label: x.name }]),
      ),
    [shapes],
  );
  const x = num(lon),
    y = num(lat);
  const draft = x !== null && y !== null ? { x, y } : null;
  const saved = topic.x !== null && topic.y !== null ? { x: topic.x, y: topic.y } : null;
  const changed = draft !== null && (!saved || fmt(saved.x) !== fmt(draft.x) || fmt(saved.y) !== fmt(draft.y));
  const area = topic.areaName ?? topic.areaCode;
  return (
    <div class="km-forum__place">
      <h3 class="kern-heading-small" id="forum-place">
        {t('forum.place')}
      </h3>
      <p>{t('forum.placeIntro')}</p>
      <p role="status" aria-live="polite">
        {changed && draft
          ? t('forum.placeDraft', { lat: fmt(draft.y), lon: fmt(draft.x) })
          : saved
            ? t('forum.placeNow', { lat: fmt(saved.y), lon: fmt(saved.x) })
            : t('forum.placeNone')}
      </p>
      {shapes.length > 0 && (
        <ChoroplethMap
          shapes={shapes}
          areas={mapAreas}
          label={t('forum.placeMap', { area })}
          keyboardHelp={t('forum.placeMapHelp')}
          overlay={(d) => (
            <ClickLayer
              drawing={d}
              point={draft ?? saved}
              onPick={(px, py) => {
                setLon(fmt(px));
                setLat(fmt(py));
                setBad(false);
              }}
            />
          )}
          height={240}
        />
      )}
      <div class="km-forum__place-fields">
        <TextField
          id="place-lat"
          label={t('forum.placeLat')}
          hint={t('forum.placeHint')}
          value={lat}
          onInput={setLat}
          inputMode="decimal"
          maxLength={20}
          error={bad && y === null ? t('forum.placeBad') : undefined}
        />
        <TextField
          id="place-lon"
          label={t('forum.placeLon')}
          value={lon}
          onInput={setLon}
          inputMode="decimal"
          maxLength={20}
          error={bad && x === null ? t('forum.placeBad') : undefined}
        />
      </div>
      <Button
        kind="primary"
        onClick={() => {
          if (!draft) return setBad(true);
          setBad(false);
          return act(() =>
            putJSON(apiPath('PUT /api/forum/topics/:id/point', { id: topic.id }), { point: draft }).catch(
              (e: unknown) => {
                // The server's reason by its code, in the page's language.
                if (e instanceof ApiError && e.problems.some((p) => p.code === 'point-outside-area'))
                  throw new Error(t('forum.placeOutside', { area }));
                throw e;
              },
            ),
          );
        }}
      >
        {t('forum.placeSave')}
      </Button>{' '}
      {saved && (
        <Button
          onClick={() =>
            act(async () => {
              await putJSON(apiPath('PUT /api/forum/topics/:id/point', { id: topic.id }), { point: null });
              setLat('');
              setLon('');
            })
          }
        >
          {t('forum.placeRemove')}
        </Button>
      )}
    </div>
  );
}
