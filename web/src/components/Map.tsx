// The choropleth map: one SVG <path> per area (role="link", labelled for screen readers), zoom
// and pan with d3-zoom (mouse, touch, +/− buttons and keys), keyboard navigation between areas
// with the arrow keys (one tab stop for the whole map), and a tooltip on hover and focus.
import { withBase } from '../base.ts';
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { select } from 'd3-selection';
import { zoom as d3zoom, zoomIdentity, type ZoomBehavior } from 'd3-zoom';
import { project, type BBox, type Drawing, type Shape } from '../../../src/core/geo/draw.ts';
import { keyDirection, nextInDirection } from '../lib/mapnav.ts';
import { formatZoom, parseZoom } from '../router.ts';
import { useApp } from '../context.ts';
import type { Status } from '../../../src/contracts/format.ts';
import { STATUS_SYMBOL } from '../../../src/contracts/format.ts';

export const NO_VALUE_STATUSES: Status[] = ['suppressed', 'below_min_base', 'missing'];

/** Fills for areas without a value: patterns, so that they can never be read as a class colour. */
export function PatternDefs({ prefix }: { prefix: string }) {
  return (
    <defs>
      <pattern
        id={`${prefix}-suppressed`}
        width="6"
        height="6"
        patternUnits="userSpaceOnUse"
        patternTransform="rotate(45)"
      >
        <rect width="6" height="6" fill="#f3f4f7" />
        <line x1="0" y1="0" x2="0" y2="6" stroke="#3d4256" stroke-width="2" />
      </pattern>
      <pattern id={`${prefix}-below_min_base`} width="6" height="6" patternUnits="userSpaceOnUse">
        <rect width="6" height="6" fill="#f3f4f7" />
        <circle cx="3" cy="3" r="1.3" fill="#3d4256" />
      </pattern>
      <pattern id={`${prefix}-missing`} width="8" height="8" patternUnits="userSpaceOnUse">
        <rect width="8" height="8" fill="#ffffff" />
        <path d="M0 8L8 0M-2 2L2 -2M6 10L10 6" stroke="#8a8fa8" stroke-width="1" />
      </pattern>
      <pattern id={`${prefix}-hatch`} width="7" height="7" patternUnits="userSpaceOnUse" patternTransform="rotate(-45)">
        <line x1="0" y1="0" x2="0" y2="7" stroke="#131525" stroke-width="2.2" />
      </pattern>
    </defs>
  );
}

export function statusFill(prefix: string, status: Status): string {
  return `url(#${prefix}-${status === 'suppressed' || status === 'below_min_base' ? status : 'missing'})`;
}

export interface MapArea {
  code: string;
  name: string;
  /** A colour, or null when the area has no value (then `status` decides the pattern). */
  color: string | null;
  status: Status;
  /** Accessible name, e.g. "Altstadt: 12,3 %". */
  label: string;
  /** Hatched over its colour (e.g. an uncertain classification); say so in the label too. */
  hatch?: boolean;
  /**
   * A short text drawn on the area (up to 150 areas), e.g. the type number of a categorical map,
   * so that the colour is not the only signal; `markColor` is its fill (default near-black).
   */
  mark?: string;
  markColor?: string;
}

export interface Basemap {
  url: string;
  bbox: BBox;
  attribution?: string;
}

let basemapPromise: Promise<Basemap | null> | null = null;
/** Optional site configuration web/dist/config.json: { "basemap": { "url", "bbox": [w,s,e,n], "attribution" } }. */
function loadBasemap(): Promise<Basemap | null> {
  if (!basemapPromise) {
    basemapPromise = fetch(withBase('/config.json'), { headers: { Accept: 'application/json' } })
      .then((r) => (r.ok && (r.headers.get('content-type') ?? '').includes('json') ? r.json() : null))
      .then((c: { basemap?: Basemap } | null) =>
        c?.basemap?.url && Array.isArray(c.basemap.bbox) && c.basemap.bbox.length === 4 ? c.basemap : null,
      )
      .catch(() => null);
  }
  return basemapPromise;
}

let mapCounter = 0;

export interface MapProps {
  shapes: Shape[];
  areas: Map<string, MapArea>;
  /** Accessible name of the whole map. */
  label: string;
  selected?: string | null;
  /** Lon/lat extent to show (default: all shapes). */
  extent?: BBox | null;
  /** Tooltip content for an area. */
  tooltip?: (code: string) => ComponentChildren;
  /** Link target of an area (its profile). */
  hrefOf?: (code: string) => string;
  onOpen?: (code: string) => void;
  /** Zoom state as "k,x,y" and its change handler (omit both for a static map). */
  zoom?: string;
  onZoom?: (z: string | null) => void;
  interactive?: boolean;
  /** Draw the status symbol (., /, …) on areas without a value. */
  symbols?: boolean;
  width?: number;
  height?: number;
  /** What Enter on an area does, for screen readers (default: opens the profile). */
  keyboardHelp?: string;
  /** Called after the paths have been committed to the DOM. */
  onDrawn?: () => void;
  /** Drawn above the areas, inside the zoomed group (e.g. facility points); gets the projection. */
  overlay?: (d: Drawing) => ComponentChildren;
  class?: string;
}

export function ChoroplethMap(p: MapProps) {
  const { t } = useApp();
  const interactive = p.interactive !== false;
  const [prefix] = useState(() => `km-map-${++mapCounter}`);
  const width = p.width ?? 800;
  const drawing: Drawing = useMemo(() => {
    const t0 = performance.now();
    const d = project(p.shapes, { width, extent: p.extent ?? undefined, height: p.height, pad: 6 });
    performance.measure('km:map-project', { start: t0, end: performance.now() });
    return d;
  }, [p.shapes, width, p.extent, p.height]);
  const svgRef = useRef<SVGSVGElement>(null);
  const gRef = useRef<SVGGElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const zoomRef = useRef<ZoomBehavior<SVGSVGElement, unknown> | null>(null);
  const [focusCode, setFocusCode] = useState<string | null>(null);
  const [tip, setTip] = useState<{ code: string; x: number; y: number } | null>(null);
  /** The pointer of the last press ('mouse', 'touch', 'pen'; '' before any, e.g. keyboard or scripted clicks). */
  const pointerRef = useRef('');
  /** The area whose value a tap has shown (the next tap on it opens it). */
  const tappedRef = useRef('');
  const [basemap, setBasemap] = useState<Basemap | null>(null);

  useEffect(() => {
    if (interactive) loadBasemap().then(setBasemap);
  }, [interactive]);

  const tabCode =
    focusCode && p.areas.has(focusCode)
      ? focusCode
      : p.selected && p.areas.has(p.selected)
        ? p.selected
        : (drawing.shapes[0]?.code ?? null);

  // Zoom and pan.
  useEffect(() => {
    const svg = svgRef.current;
    const g = gRef.current;
    if (!svg || !g || !interactive || !p.onZoom) return;
    const behavior = d3zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, 16])
      .translateExtent([
        [0, 0],
        [drawing.width, drawing.height],
      ])
      .extent([
        [0, 0],
        [drawing.width, drawing.height],
      ])
      .filter((event: Event) => {
        // Wheel zoom only with Ctrl (or on a focused map), so that the page still scrolls.
        if (event.type === 'wheel')
          return (event as WheelEvent).ctrlKey || document.activeElement?.closest('svg') === svg;
        return !(event as MouseEvent).button;
      })
      .on('zoom', (event: { transform: { k: number; x: number; y: number; toString(): string } }) => {
        g.setAttribute('transform', event.transform.toString());
        svg.style.setProperty('--km-zoom', String(event.transform.k));
        setTip(null);
      })
      .on('end', (event: { transform: { k: number; x: number; y: number }; sourceEvent: unknown }) => {
        const tr = event.transform;
        const identity = tr.k === 1 && tr.x === 0 && tr.y === 0;
        p.onZoom?.(identity ? null : formatZoom(tr));
      });
    zoomRef.current = behavior;
    const sel = select(svg);
    sel.call(behavior);
    sel.on('dblclick.zoom', null);
    const z = parseZoom(p.zoom);
    if (z) sel.call(behavior.transform, zoomIdentity.translate(z.x, z.y).scale(z.k));
    return () => {
      sel.on('.zoom', null);
      zoomRef.current = null;
    };
    // Re-attach only when the drawing changes; the URL zoom is read once per drawing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [drawing, interactive]);

  useLayoutEffect(() => {
    p.onDrawn?.();
  });

  const zoomBy = (f: number | null) => {
    const svg = svgRef.current;
    const z = zoomRef.current;
    if (!svg || !z) return;
    if (f === null) select(svg).call(z.transform, zoomIdentity);
    else select(svg).call(z.scaleBy, f);
  };

  const codeOf = (e: Event): string | null => {
    const el = (e.target as Element | null)?.closest?.('[data-code]');
    return el ? el.getAttribute('data-code') : null;
  };

  const showTipAt = (code: string, clientX: number, clientY: number) => {
    const wrap = wrapRef.current;
    if (!wrap || !p.tooltip) return;
    const r = wrap.getBoundingClientRect();
    setTip({ code, x: clientX - r.left, y: clientY - r.top });
  };

  const focusArea = (code: string) => {
    setFocusCode(code);
    const el = gRef.current?.querySelector<SVGPathElement>(`[data-code="${CSS.escape(code)}"]`);
    el?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const code = codeOf(e);
    if (!code) return;
    const dir = keyDirection(e.key);
    if (dir) {
      e.preventDefault();
      const next = nextInDirection(drawing.shapes, code, dir);
      if (next) focusArea(next);
      return;
    }
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      p.onOpen?.(code);
    } else if (e.key === '+' || e.key === '=') {
      e.preventDefault();
      zoomBy(1.5);
    } else if (e.key === '-' || e.key === '_') {
      e.preventDefault();
      zoomBy(1 / 1.5);
    } else if (e.key === '0') {
      e.preventDefault();
      zoomBy(null);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const s = drawing.shapes;
      if (s.length) focusArea(e.key === 'Home' ? s[0].code : s[s.length - 1].code);
    } else if (e.key === 'Escape') {
      setTip(null);
    }
  };

  const sel = p.selected ? drawing.shapes.find((s) => s.code === p.selected) : undefined;
  const tipArea = tip ? p.areas.get(tip.code) : undefined;
  // The tooltip stays inside the map (whose frame clips): right of and below the pointer where it
  // fits, otherwise left of or above it, and never beyond an edge (issue #15, item 9).
  const tipRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const el = tipRef.current;
    const wrap = wrapRef.current;
    if (!el || !wrap || !tip) return;
    const W = wrap.clientWidth;
    const H = wrap.clientHeight;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const gap = 12;
    let left = tip.x + gap;
    if (left + w > W - 4) left = tip.x - gap - w;
    left = Math.max(4, Math.min(left, W - w - 4));
    let top = tip.y + gap;
    if (top + h > H - 4) top = tip.y - gap - h;
    top = Math.max(4, Math.min(top, H - h - 4));
    el.style.left = `${left}px`;
    el.style.top = `${top}px`;
  });

  if (!drawing.shapes.length) return <p class="km-muted">{t('map.noShapes')}</p>;

  return (
    // Focus listeners sit on the HTML wrapper: Chromium makes SVG elements with focus listeners focusable.
    <div
      class={`km-map ${p.class ?? ''}`}
      ref={wrapRef}
      onFocusIn={
        interactive
          ? (e: FocusEvent) => {
              const c = codeOf(e);
              if (!c) return;
              setFocusCode(c);
              const el = e.target as SVGGraphicsElement;
              const r = el.getBoundingClientRect();
              showTipAt(c, r.left + r.width / 2, r.top + r.height / 2);
            }
          : undefined
      }
      onFocusOut={interactive ? () => setTip(null) : undefined}
    >
      {interactive && p.onZoom && (
        <div class="km-map__zoom" role="group" aria-label={t('map.zoomReset')}>
          <button
            type="button"
            class="kern-btn kern-btn--secondary kern-btn--x-small"
            onClick={() => zoomBy(1.5)}
            aria-label={t('map.zoomIn')}
            title={t('map.zoomIn')}
          >
            <span aria-hidden="true">+</span>
          </button>
          <button
            type="button"
            class="kern-btn kern-btn--secondary kern-btn--x-small"
            onClick={() => zoomBy(1 / 1.5)}
            aria-label={t('map.zoomOut')}
            title={t('map.zoomOut')}
          >
            <span aria-hidden="true">−</span>
          </button>
          <button
            type="button"
            class="kern-btn kern-btn--secondary kern-btn--x-small"
            onClick={() => zoomBy(null)}
            aria-label={t('map.zoomReset')}
            title={t('map.zoomReset')}
          >
            <span aria-hidden="true">⌂</span>
          </button>
        </div>
      )}
      <svg
        ref={svgRef}
        class="km-map__svg"
        viewBox={`0 0 ${drawing.width} ${drawing.height}`}
        role={interactive ? 'group' : 'img'}
        aria-label={p.label}
        aria-describedby={interactive ? `${prefix}-help` : undefined}
        preserveAspectRatio="xMidYMid meet"
      >
        <PatternDefs prefix={prefix} />
        <g ref={gRef} onKeyDown={interactive ? (onKeyDown as unknown as (e: Event) => void) : undefined}>
          {basemap && (
            <image
              href={basemap.url}
              {...basemapRect(basemap.bbox, drawing)}
              preserveAspectRatio="none"
              aria-hidden="true"
            />
          )}
          <g
            class={`km-map__areas ${basemap ? 'km-map__areas--over-basemap' : ''}`}
            onMouseMove={
              interactive && p.tooltip
                ? (e) => {
                    const c = codeOf(e as unknown as Event);
                    if (c) showTipAt(c, (e as MouseEvent).clientX, (e as MouseEvent).clientY);
                  }
                : undefined
            }
            onMouseLeave={interactive ? () => setTip(null) : undefined}
            onPointerDown={interactive ? (e) => (pointerRef.current = (e as PointerEvent).pointerType) : undefined}
            onClick={
              interactive && p.onOpen
                ? (e) => {
                    const c = codeOf(e as unknown as Event);
                    if (c) {
                      e.preventDefault();
                      // A tap (touch, pen) first shows the area's value; a second tap on it opens it.
                      // (Touch browsers send a mousemove before the click, so the tip alone does not tell.)
                      const kind = (e as unknown as PointerEvent).pointerType || pointerRef.current;
                      if ((kind === 'touch' || kind === 'pen') && p.tooltip && tappedRef.current !== c) {
                        tappedRef.current = c;
                        pointerRef.current = kind;
                        showTipAt(c, (e as MouseEvent).clientX, (e as MouseEvent).clientY);
                        return;
                      }
                      tappedRef.current = '';
                      p.onOpen!(c);
                    }
                  }
                : undefined
            }
          >
            {drawing.shapes.map((s) => {
              const a = p.areas.get(s.code);
              const fill = a ? (a.color ?? statusFill(prefix, a.status)) : statusFill(prefix, 'missing');
              return interactive ? (
                <path
                  key={s.code}
                  data-code={s.code}
                  d={s.d}
                  fill={fill}
                  role="link"
                  tabindex={s.code === tabCode ? 0 : -1}
                  aria-label={a?.label ?? s.name}
                  class="km-area"
                />
              ) : (
                <path key={s.code} d={s.d} fill={fill} class="km-area" />
              );
            })}
          </g>
          {drawing.shapes.some((s) => p.areas.get(s.code)?.hatch) && (
            <g class="km-map__hatch" aria-hidden="true">
              {drawing.shapes.map((s) =>
                p.areas.get(s.code)?.hatch ? <path key={`h-${s.code}`} d={s.d} fill={`url(#${prefix}-hatch)`} /> : null,
              )}
            </g>
          )}
          {p.symbols !== false &&
            drawing.shapes.length <= 150 &&
            drawing.shapes.map((s) => {
              const a = p.areas.get(s.code);
              if (!a || a.color) return null;
              return (
                <text key={`sym-${s.code}`} x={s.cx} y={s.cy} class="km-map__symbol" aria-hidden="true">
                  {STATUS_SYMBOL[a.status] || STATUS_SYMBOL.missing}
                </text>
              );
            })}
          {drawing.shapes.length <= 150 &&
            drawing.shapes.some((s) => p.areas.get(s.code)?.mark) &&
            drawing.shapes.map((s) => {
              const a = p.areas.get(s.code);
              if (!a?.mark || !a.color) return null;
              return (
                <text
                  key={`mark-${s.code}`}
                  x={s.cx}
                  y={s.cy}
                  class="km-map__mark"
                  fill={a.markColor ?? '#131525'}
                  aria-hidden="true"
                >
                  {a.mark}
                </text>
              );
            })}
          {sel && <path d={sel.d} class="km-map__selected" aria-hidden="true" />}
          {p.overlay?.(drawing)}
        </g>
      </svg>
      {interactive && (
        <p id={`${prefix}-help`} class="kern-sr-only">
          {p.keyboardHelp ?? t('map.keyboard')}
        </p>
      )}
      {basemap?.attribution && <p class="km-map__attribution">{basemap.attribution}</p>}
      {tip && tipArea && p.tooltip && (
        <div
          ref={tipRef}
          class="km-tooltip km-tooltip--placed"
          style={{ left: `${tip.x}px`, top: `${tip.y}px` }}
          aria-hidden="true"
        >
          {p.tooltip(tip.code)}
          {(pointerRef.current === 'touch' || pointerRef.current === 'pen') && p.onOpen && (
            <p class="km-tooltip__hint">{t('map.tapAgain')}</p>
          )}
        </div>
      )}
    </div>
  );
}

/** Position of a georeferenced basemap image in the map's SVG coordinates. */
function basemapRect(b: BBox, d: Drawing): { x: number; y: number; width: number; height: number } {
  const [x0, y1] = d.point(b[0], b[1]);
  const [x1, y0] = d.point(b[2], b[3]);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}
