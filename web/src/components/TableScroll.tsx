// The frame of a table that may be wider than the screen: it scrolls sideways inside itself (never
// the page), and when it does, a hint above it says so and how many columns there are — so that no
// column is hidden without a word (issue #15, item 1). The wrapper carries data-scroll="x" while it
// overflows; the browser tests check that every sideways-scrolling element on a page is such a frame.
import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useApp } from '../context.ts';

let nextId = 0;

export function TableScroll(p: { children: ComponentChildren; labelledBy?: string; label?: string; class?: string }) {
  const { t } = useApp();
  const ref = useRef<HTMLDivElement>(null);
  const [cols, setCols] = useState(0);
  const [id] = useState(() => `km-scroll-${++nextId}`);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const check = () => {
      const over = el.scrollWidth > el.clientWidth + 1;
      const head = el.querySelector('thead tr');
      setCols(over ? (head?.children.length ?? 0) || 1 : 0);
    };
    check();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(check);
    ro.observe(el);
    const table = el.querySelector('table');
    if (table) ro.observe(table);
    return () => ro.disconnect();
  });
  const over = cols > 0;
  return (
    <>
      {over && (
        <p class="km-scroll-hint no-print" id={id}>
          <span aria-hidden="true">↔ </span>
          {t('table.scrollHint', { n: cols })}
        </p>
      )}
      <div
        ref={ref}
        class={`kern-table-responsive km-table-wrap ${p.class ?? ''}`}
        tabIndex={0}
        role="region"
        aria-labelledby={p.labelledBy}
        aria-label={p.labelledBy ? undefined : p.label}
        aria-describedby={over ? id : undefined}
        data-scroll={over ? 'x' : undefined}
      >
        {p.children}
      </div>
    </>
  );
}
