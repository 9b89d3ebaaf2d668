// Keyboard use of point markers on a map (facilities, youth topics): one tab stop for all of them,
// the arrow keys move to the nearest point in that direction, Home/End to the first/last, Enter
// or Space selects (again: clears), Escape clears. Each marker carries `data-{attr}` with its id.
import { useState } from 'preact/hooks';
import { nextInDirection, keyDirection, type Point } from '../lib/mapnav.ts';

/** The marker that takes the tab stop, and the key handler for the markers' group. */
export function usePointRoving(
  points: readonly Point[],
  attr: string,
  selected: number | null,
  onSelect: (id: number | null) => void,
): { tabId: number | undefined; onKeyDown: (e: Event) => void; onPointClick: (id: number) => void } {
  const [focus, setFocus] = useState<number | null>(null);
  const ids = points.map((p) => Number(p.code));
  const tabId =
    focus !== null && ids.includes(focus) ? focus : selected !== null && ids.includes(selected) ? selected : ids[0];
  const focusPoint = (id: number, g: Element) => {
    setFocus(id);
    g.querySelector<SVGElement>(`[data-${attr}="${id}"]`)?.focus();
  };
  const onKeyDown = (event: Event) => {
    const e = event as KeyboardEvent;
    const el = (e.target as Element).closest(`[data-${attr}]`);
    if (!el) return;
    const id = Number(el.getAttribute(`data-${attr}`));
    const g = e.currentTarget as Element;
    const dir = keyDirection(e.key);
    e.stopPropagation();
    if (dir) {
      e.preventDefault();
      const next = nextInDirection(points, String(id), dir);
      if (next) focusPoint(Number(next), g);
    } else if (e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      focusPoint(e.key === 'Home' ? ids[0] : ids[ids.length - 1], g);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(selected === id ? null : id);
    } else if (e.key === 'Escape') {
      onSelect(null);
    }
  };
  // A click makes the point the tab stop and selects it (again: clears).
  const onPointClick = (id: number) => {
    setFocus(id);
    onSelect(selected === id ? null : id);
  };
  return { tabId, onKeyDown, onPointClick };
}
