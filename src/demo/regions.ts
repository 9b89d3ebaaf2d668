// Partitioning cells into contiguous groups (districts, neighbourhoods, catchments) by seeded
// region growing, plus the small helpers around it.

import { Rng, unitHash } from './random.ts';

export interface CellPositions {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/**
 * Chooses k seed cells spread over the given cells: farthest-point sampling with a random factor,
 * optionally starting from a given first cell.
 */
export function pickSeeds(cells: number[], k: number, pos: CellPositions, rng: Rng, first?: number): number[] {
  if (k <= 0) return [];
  if (k >= cells.length) return [...cells];
  const seeds: number[] = [first ?? cells[rng.int(cells.length)]];
  const minD = new Float64Array(cells.length).fill(Infinity);
  const jitter = cells.map(() => 0.75 + 0.5 * rng.next());
  while (seeds.length < k) {
    const s = seeds[seeds.length - 1];
    let best = -1;
    let bestScore = -1;
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i];
      const d = (pos.x[c] - pos.x[s]) ** 2 + (pos.y[c] - pos.y[s]) ** 2;
      if (d < minD[i]) minD[i] = d;
      const score = minD[i] * jitter[i];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    seeds.push(best);
  }
  return seeds;
}

/**
 * Grows one contiguous group per seed over the given (connected) cells. The group with the
 * smallest weight so far takes the next step, adding the frontier cell closest to its seed
 * (distance perturbed a little per cell and group, for organic borders). Returns the group of
 * each cell (-1 for cells not in `cells`).
 */
export function growRegions(
  cellCount: number,
  cells: number[],
  seeds: number[],
  neighbours: number[][],
  weight: ArrayLike<number>,
  pos: CellPositions,
  salt: number,
): Int32Array {
  const NOT_PART = -2;
  const assign = new Int32Array(cellCount).fill(NOT_PART);
  for (const c of cells) assign[c] = -1;
  const k = seeds.length;
  const sum = new Float64Array(k);
  const frontier: number[][] = [];
  let remaining = cells.length;
  for (let g = 0; g < k; g++) {
    const s = seeds[g];
    assign[s] = g;
    sum[g] = weight[s];
    remaining--;
    frontier.push([]);
  }
  for (let g = 0; g < k; g++) for (const o of neighbours[seeds[g]]) if (assign[o] === -1) frontier[g].push(o);

  while (remaining > 0) {
    let g = -1;
    for (let h = 0; h < k; h++) {
      const f = frontier[h];
      // Prune cells taken by other groups.
      let w = 0;
      for (let r = 0; r < f.length; r++) if (assign[f[r]] === -1) f[w++] = f[r];
      f.length = w;
      if (w > 0 && (g < 0 || sum[h] < sum[g])) g = h;
    }
    if (g < 0) break; // disconnected remainder, handled below
    const s = seeds[g];
    let best = -1;
    let bestScore = Infinity;
    for (const c of frontier[g]) {
      const d = Math.hypot(pos.x[c] - pos.x[s], pos.y[c] - pos.y[s]);
      const score = d * (1 + 0.45 * unitHash(salt, g, c));
      if (score < bestScore || (score === bestScore && c < best)) {
        bestScore = score;
        best = c;
      }
    }
    assign[best] = g;
    sum[g] += weight[best];
    remaining--;
    for (const o of neighbours[best]) if (assign[o] === -1) frontier[g].push(o);
  }
  // Safety net for inputs that are not connected: attach leftovers to a neighbouring group.
  let changed = true;
  while (remaining > 0 && changed) {
    changed = false;
    for (const c of cells) {
      if (assign[c] !== -1) continue;
      const o = neighbours[c].find((n) => assign[n] >= 0);
      if (o !== undefined) {
        assign[c] = assign[o];
        remaining--;
        changed = true;
      }
    }
  }
  for (const c of cells) if (assign[c] === -1) assign[c] = 0;
  return assign;
}

/** Whether the cells form one edge-connected group. */
export function isConnected(cells: number[], neighbours: number[][]): boolean {
  if (cells.length === 0) return false;
  const inSet = new Set(cells);
  const seen = new Set<number>([cells[0]]);
  const stack = [cells[0]];
  while (stack.length) {
    const c = stack.pop()!;
    for (const o of neighbours[c]) {
      if (inSet.has(o) && !seen.has(o)) {
        seen.add(o);
        stack.push(o);
      }
    }
  }
  return seen.size === cells.length;
}

/**
 * Distributes `total` groups over parts in proportion to their weights (largest remainder),
 * with at least `min` and at most `caps[i]` per part.
 */
export function allocate(total: number, weights: number[], caps: number[], min = 1): number[] {
  const n = weights.length;
  const out = weights.map((_, i) => Math.min(min, caps[i]));
  let left = total - out.reduce((a, b) => a + b, 0);
  const wsum = weights.reduce((a, b) => a + b, 0) || 1;
  while (left > 0) {
    // Give the next group to the part furthest below its proportional share.
    let best = -1;
    let bestGap = -Infinity;
    for (let i = 0; i < n; i++) {
      if (out[i] >= caps[i]) continue;
      const gap = (total * weights[i]) / wsum - out[i];
      if (gap > bestGap) {
        bestGap = gap;
        best = i;
      }
    }
    if (best < 0) break;
    out[best]++;
    left--;
  }
  return out;
}

/** Groups cell indices by their assigned group. */
export function members(assign: Int32Array, groups: number): number[][] {
  const out: number[][] = Array.from({ length: groups }, () => []);
  for (let c = 0; c < assign.length; c++) if (assign[c] >= 0) out[assign[c]].push(c);
  return out;
}
