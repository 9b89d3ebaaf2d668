// Charts with Observable Plot, loaded on demand (it is not part of the initial JavaScript).
// The chart is built for the width of its container and rebuilt when that width changes.
import { useEffect, useRef, useState } from 'preact/hooks';

export type PlotModule = typeof import('@observablehq/plot');

let plotPromise: Promise<PlotModule> | null = null;
function loadPlot(): Promise<PlotModule> {
  if (!plotPromise) plotPromise = import('@observablehq/plot');
  return plotPromise;
}

/** Renders what `build` returns (an SVG or figure element from Plot.plot) into a container. */
export function PlotFigure(p: {
  build: (Plot: PlotModule, width: number) => Element;
  deps: unknown[];
  class?: string;
  label?: string;
  responsive?: boolean;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [failed, setFailed] = useState(false);
  const [width, setWidth] = useState(0);
  const responsive = p.responsive !== false;
  useEffect(() => {
    const el = ref.current;
    if (!el || !responsive) return;
    setWidth(Math.floor(el.clientWidth));
    const ro = new ResizeObserver(() => {
      const w = Math.floor(el.clientWidth);
      setWidth((old) => (Math.abs(old - w) > 8 ? w : old));
    });
    ro.observe(el);
    return () => ro.disconnect();
  }, [responsive]);
  useEffect(() => {
    if (responsive && width === 0) return;
    let live = true;
    loadPlot().then(
      (Plot) => {
        if (!live || !ref.current) return;
        const el = p.build(Plot, Math.max(280, width));
        // The chart is described by its container's label and a table with the same values;
        // Plot's own aria-labels on <g> groups are not valid ARIA there.
        for (const g of el.querySelectorAll('[aria-label]'))
          if (g.tagName.toLowerCase() === 'g') g.removeAttribute('aria-label');
        el.setAttribute('aria-hidden', 'true');
        ref.current.replaceChildren(el);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...p.deps, width]);
  return <div ref={ref} class={p.class ?? 'km-chart'} aria-label={failed ? p.label : undefined} />;
}
