// Keyboard navigation between map areas: an arrow key moves to the nearest area whose centre
// lies in that direction (within a 45° cone on either side, nearer angles preferred).
// Pure function, unit-tested in test/web/mapnav.test.ts.

export type Direction = 'left' | 'right' | 'up' | 'down';

export interface Point {
  code: string;
  cx: number;
  cy: number;
}

const VEC: Record<Direction, [number, number]> = { left: [-1, 0], right: [1, 0], up: [0, -1], down: [0, 1] };

export function nextInDirection(points: readonly Point[], from: string, dir: Direction): string | null {
  const me = points.find((p) => p.code === from);
  if (!me) return points[0]?.code ?? null;
  const [vx, vy] = VEC[dir];
  let best: string | null = null;
  let bestScore = Infinity;
  for (const p of points) {
    if (p.code === from) continue;
    const dx = p.cx - me.cx;
    const dy = p.cy - me.cy;
    const along = dx * vx + dy * vy;
    if (along <= 0) continue;
    const across = Math.abs(dx * vy - dy * vx);
    if (across > along) continue; // outside the 45° cone
    // Distance, penalising sideways offset so that straight neighbours win.
    const score = along + 2 * across;
    if (score < bestScore) {
      bestScore = score;
      best = p.code;
    }
  }
  return best;
}

export function keyDirection(key: string): Direction | null {
  switch (key) {
    case 'ArrowLeft':
      return 'left';
    case 'ArrowRight':
      return 'right';
    case 'ArrowUp':
      return 'up';
    case 'ArrowDown':
      return 'down';
    default:
      return null;
  }
}
