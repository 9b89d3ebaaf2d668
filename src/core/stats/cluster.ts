// Cluster analysis for typologies (issue #5): Ward's hierarchical clustering as R's
// hclust(dist(x), "ward.D2"), cutree, k-means (Lloyd, k-means++ seeding with a seeded PRNG, several
// starts), and the diagnostics for choosing the number of types (dendrogram heights, within-cluster
// sum of squares, average silhouette). R equivalence and every choice: docs/methods-indices.md.
import { sdAround, type SdKind } from './descriptive.ts';
import { SeededRandom } from './random.ts';

/** Observations × variables, row-major; or an array of rows. No missing values. */
export type Matrix = { n: number; p: number; data: Float64Array } | readonly (readonly number[])[];

/** Row-major copy/view of the input, validated (finite numbers, equal row lengths). */
export function toMatrix(x: Matrix): { n: number; p: number; data: Float64Array } {
  if (!Array.isArray(x)) {
    const m = x as { n: number; p: number; data: Float64Array };
    if (m.data.length !== m.n * m.p)
      throw new RangeError(`matrix data has ${m.data.length} entries for ${m.n} × ${m.p}`);
    for (let i = 0; i < m.data.length; i++)
      if (!Number.isFinite(m.data[i]))
        throw new RangeError(`matrix entry ${Math.floor(i / m.p) + 1}, ${(i % m.p) + 1} is not a finite number`);
    return m;
  }
  const rows = x as readonly (readonly number[])[];
  const n = rows.length;
  const p = n ? rows[0].length : 0;
  const data = new Float64Array(n * p);
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    if (r.length !== p) throw new RangeError(`row ${i + 1} has ${r.length} values, row 1 has ${p}`);
    for (let j = 0; j < p; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new RangeError(`row ${i + 1}, column ${j + 1} is not a finite number: ${String(v)}`);
      data[i * p + j] = v;
    }
  }
  return { n, p, data };
}

// ---------------------------------------------------------------------------------------------
// Standardisation

export interface Standardized {
  data: number[][];
  mean: number[];
  sd: number[];
}

/**
 * z-scores per column: (x − mean) / sd with the population (÷ n) or sample (÷ n − 1, R's scale())
 * standard deviation. A column with sd 0 is an error naming the column.
 */
export function standardize(x: Matrix, sd: SdKind = 'population', names?: readonly string[]): Standardized {
  const { n, p, data } = toMatrix(x);
  const col = new Float64Array(n);
  const means: number[] = [];
  const sds: number[] = [];
  const out: number[][] = Array.from({ length: n }, () => new Array<number>(p));
  for (let j = 0; j < p; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += col[i] = data[i * p + j];
    const mu = s / n;
    const sj = sdAround(col, mu, sd, n);
    if (!(sj > 0))
      throw new RangeError(
        `column ${names?.[j] ?? j + 1}: the standard deviation is 0 (or undefined for fewer than 2 rows), it cannot be standardised`,
      );
    means.push(mu);
    sds.push(sj);
    for (let i = 0; i < n; i++) out[i][j] = (col[i] - mu) / sj;
  }
  return { data: out, mean: means, sd: sds };
}

// ---------------------------------------------------------------------------------------------
// Ward's method, ward.D2

/** A dendrogram in R's hclust conventions (1-based observation numbers). */
export interface HClust {
  /**
   * (n − 1) × 2: row s describes merge s. A negative entry −i is observation i (1-based); a positive
   * entry s′ is the cluster formed at merge s′. Singletons come first; two singletons and two clusters
   * in ascending order of their numbers (as R's hclust).
   */
  merge: [number, number][];
  /** Merge heights, non-decreasing: sqrt of the ward.D2 criterion, as R reports them. */
  height: number[];
  /** Permutation of the observations (1-based) for drawing the dendrogram without crossings. */
  order: number[];
  n: number;
  method: 'ward.D2';
}

/** Position of the pair (i, j), i < j, in the condensed upper-triangle array. */
function cIndex(n: number, i: number, j: number): number {
  return i * n - ((i * (i + 1)) >>> 1) + (j - i - 1);
}

/**
 * Ward's hierarchical clustering on Euclidean distances, the "ward.D2" method of R's hclust:
 * Lance–Williams on squared Euclidean distances,
 *   d²(k, i∪j) = [(nᵢ + nₖ) d²(k, i) + (nⱼ + nₖ) d²(k, j) − nₖ d²(i, j)] / (nᵢ + nⱼ + nₖ),
 * heights = sqrt(d²) at each merge. Computed with the nearest-neighbour-chain algorithm (O(n²) time)
 * on a condensed Float64Array (n(n − 1)/2 × 8 bytes: 100 MB for 5000 areas). Ward's criterion is
 * reducible, so the merges are those of R's global-minimum algorithm; they are sorted by height
 * (children before parents, ties in the order found) and numbered in R's convention.
 */
export function wardD2(x: Matrix): HClust {
  const { n, p, data } = toMatrix(x);
  if (n < 2) throw new RangeError(`Ward clustering needs at least 2 observations, got ${n}`);
  const len = (n * (n - 1)) / 2;
  if (len > 2 ** 31) throw new RangeError(`${n} observations are too many for a condensed distance matrix`);
  const D = new Float64Array(len);
  for (let i = 0, k = 0; i < n; i++) {
    const oi = i * p;
    for (let j = i + 1; j < n; j++, k++) {
      const oj = j * p;
      let s = 0;
      for (let c = 0; c < p; c++) {
        const d = data[oi + c] - data[oj + c];
        s += d * d;
      }
      D[k] = s;
    }
  }

  const size = new Float64Array(n).fill(1);
  const active = new Int32Array(n);
  for (let i = 0; i < n; i++) active[i] = i;
  let nActive = n;
  const chain = new Int32Array(n);
  let chainLen = 0;
  // Merges in the order the chain finds them; a cluster lives in the slot of its smallest observation.
  const ma = new Int32Array(n - 1);
  const mb = new Int32Array(n - 1);
  const mh2 = new Float64Array(n - 1);
  const key = new Float64Array(n - 1);
  const lastMerge = new Int32Array(n).fill(-1);

  for (let step = 0; step < n - 1; step++) {
    if (chainLen === 0) chain[chainLen++] = active[0];
    let x = -1;
    let y = -1;
    let best = Infinity;
    for (;;) {
      x = chain[chainLen - 1];
      // Nearest active neighbour of x. Start from the previous chain element so that ties never
      // cycle; otherwise the lowest slot wins a tie.
      y = -1;
      best = Infinity;
      if (chainLen >= 2) {
        y = chain[chainLen - 2];
        best = y < x ? D[cIndex(n, y, x)] : D[cIndex(n, x, y)];
      }
      for (let t = 0; t < nActive; t++) {
        const z = active[t];
        if (z === x) continue;
        const d = z < x ? D[cIndex(n, z, x)] : D[cIndex(n, x, z)];
        if (d < best) {
          best = d;
          y = z;
        }
      }
      if (chainLen >= 2 && y === chain[chainLen - 2]) break;
      chain[chainLen++] = y;
    }
    chainLen -= 2;
    const i = x < y ? x : y;
    const j = x < y ? y : x;
    ma[step] = i;
    mb[step] = j;
    mh2[step] = best;
    let k2 = best;
    if (lastMerge[i] >= 0 && key[lastMerge[i]] > k2) k2 = key[lastMerge[i]];
    if (lastMerge[j] >= 0 && key[lastMerge[j]] > k2) k2 = key[lastMerge[j]];
    key[step] = k2;
    lastMerge[i] = step;
    lastMerge[j] = -1;

    // Lance–Williams update of the distances to the merged cluster (kept in slot i).
    const ni = size[i];
    const nj = size[j];
    for (let t = 0; t < nActive; t++) {
      const k = active[t];
      if (k === i || k === j) continue;
      const nk = size[k];
      const ik = k < i ? cIndex(n, k, i) : cIndex(n, i, k);
      const jk = k < j ? cIndex(n, k, j) : cIndex(n, j, k);
      D[ik] = ((ni + nk) * D[ik] + (nj + nk) * D[jk] - nk * best) / (ni + nj + nk);
    }
    size[i] = ni + nj;
    // Remove j from the (ascending) active list.
    let pos = 0;
    while (active[pos] !== j) pos++;
    active.copyWithin(pos, pos + 1, nActive);
    nActive--;
  }

  // Sort merges by height (children first: the key is the maximum height in the subtree), stable.
  const idx = new Uint32Array(n - 1);
  for (let s = 0; s < n - 1; s++) idx[s] = s;
  idx.sort((a, b) => key[a] - key[b] || a - b);

  // Number the merges as R does, with a union-find over observations.
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const nodeOf = new Int32Array(n);
  for (let i = 0; i < n; i++) nodeOf[i] = -(i + 1);
  const merge: [number, number][] = new Array(n - 1);
  const height: number[] = new Array(n - 1);
  for (let s = 0; s < n - 1; s++) {
    const q = idx[s];
    const ra = find(ma[q]);
    const rb = find(mb[q]);
    const a = nodeOf[ra];
    const b = nodeOf[rb];
    let row: [number, number];
    if (a < 0 && b < 0) row = -a < -b ? [a, b] : [b, a];
    else if (a < 0 || b < 0) row = a < b ? [a, b] : [b, a];
    else row = a < b ? [a, b] : [b, a];
    merge[s] = row;
    height[s] = Math.sqrt(mh2[q] > 0 ? mh2[q] : 0);
    const root = ra < rb ? ra : rb;
    parent[ra === root ? rb : ra] = root;
    nodeOf[root] = s + 1;
  }
  return { merge, height, order: dendrogramOrder(merge, n), n, method: 'ward.D2' };
}

/** R's hclust order: expand the last merge, left branch before right branch (iterative). */
function dendrogramOrder(merge: [number, number][], n: number): number[] {
  const order: number[] = [];
  const stack: number[] = [n - 1];
  while (stack.length) {
    const e = stack.pop()!;
    if (e < 0) order.push(-e);
    else {
      const [a, b] = merge[e - 1];
      stack.push(b, a);
    }
  }
  return order;
}

/**
 * Cuts a tree into k groups as R's cutree(tree, k): the first n − k merges are applied; groups are
 * numbered 1…k in order of first appearance of their observations (observation 1 is in group 1).
 */
export function cutree(tree: Pick<HClust, 'merge' | 'n'>, k: number): number[] {
  const n = tree.n;
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be a whole number in 1…${n}, got ${k}`);
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (a: number): number => {
    while (parent[a] !== a) {
      parent[a] = parent[parent[a]];
      a = parent[a];
    }
    return a;
  };
  const rep = new Int32Array(n);
  for (let s = 0; s < n - k; s++) {
    const [a, b] = tree.merge[s];
    const ra = find(a < 0 ? -a - 1 : rep[a - 1]);
    const rb = find(b < 0 ? -b - 1 : rep[b - 1]);
    parent[rb] = ra;
    rep[s] = ra;
  }
  const number = new Int32Array(n).fill(0);
  let next = 0;
  const out: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (number[r] === 0) number[r] = ++next;
    out[i] = number[r];
  }
  return out;
}

/** Cophenetic distances (condensed, pairs i < j in row order): the height at which i and j first join. */
function cophenetic(tree: HClust): Float64Array {
  const n = tree.n;
  const out = new Float64Array((n * (n - 1)) / 2);
  const members: number[][] = [];
  for (let s = 0; s < n - 1; s++) {
    const [a, b] = tree.merge[s];
    const A = a < 0 ? [-a - 1] : members[a - 1];
    const B = b < 0 ? [-b - 1] : members[b - 1];
    const h = tree.height[s];
    for (const i of A) for (const j of B) out[i < j ? cIndex(n, i, j) : cIndex(n, j, i)] = h;
    members[s] = A.concat(B);
    if (a > 0) members[a - 1] = [];
    if (b > 0) members[b - 1] = [];
  }
  return out;
}

/** Pearson correlation of the cophenetic distances with the Euclidean distances: R's cor(dist(x), cophenetic(hc)). */
export function copheneticCorrelation(x: Matrix, tree: HClust): number {
  const { n, p, data } = toMatrix(x);
  const c = cophenetic(tree);
  const len = c.length;
  const d = new Float64Array(len);
  for (let i = 0, k = 0; i < n; i++)
    for (let j = i + 1; j < n; j++, k++) {
      let s = 0;
      for (let q = 0; q < p; q++) {
        const t = data[i * p + q] - data[j * p + q];
        s += t * t;
      }
      d[k] = Math.sqrt(s);
    }
  let md = 0;
  let mc = 0;
  for (let k = 0; k < len; k++) {
    md += d[k];
    mc += c[k];
  }
  md /= len;
  mc /= len;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let k = 0; k < len; k++) {
    const a = d[k] - md;
    const b = c[k] - mc;
    sxy += a * b;
    sxx += a * a;
    syy += b * b;
  }
  return sxy / Math.sqrt(sxx * syy);
}

// ---------------------------------------------------------------------------------------------
// k-means

export interface KMeansOptions {
  /** Number of starts (k-means++ seedings); the solution with the smallest total within-SS wins (default 10). */
  nstart?: number;
  /** Seed of the PRNG for the k-means++ seedings (default 1). */
  seed?: number;
  /** Maximum Lloyd iterations per start (default 100; R's default is 10). */
  maxIter?: number;
  /**
   * "hartigan" (default): Lloyd followed by Hartigan's
   * single-point transfers, which escape many local optima Lloyd stops in (not bit-identical to R's
   * Hartigan–Wong, but stable under the same kind of moves). "lloyd": R's algorithm = "Lloyd" exactly.
   */
  algorithm?: 'lloyd' | 'hartigan';
  /** Explicit initial centres (k rows): one start, exactly R's kmeans(x, centers, algorithm = "Lloyd"). */
  centers?: readonly (readonly number[])[];
}

export interface KMeansResult {
  /** Cluster of each observation, 1…k, numbered in order of first appearance. */
  cluster: number[];
  centers: number[][];
  size: number[];
  withinss: number[];
  totWithinss: number;
  totss: number;
  betweenss: number;
  /** Lloyd iterations of the winning start, counted as R's `iter` (maxIter + 1 when not converged). */
  iter: number;
  converged: boolean;
  /** 1-based number of the winning start. */
  start: number;
  /** Starts that ended with an empty cluster and were discarded (R stops with an error there). */
  failedStarts: number;
}

interface LloydOut {
  cl: Int32Array;
  cen: Float64Array;
  iter: number;
  converged: boolean;
  wss: Float64Array;
  ok: boolean;
}

/** R's C_kmeans_Lloyd: assign (first centre wins ties), stop when nothing changes, else update centres. */
function lloyd(data: Float64Array, n: number, p: number, cen: Float64Array, k: number, maxIter: number): LloydOut {
  const cl = new Int32Array(n).fill(-1);
  const nc = new Int32Array(k);
  let iter = 0;
  let converged = false;
  for (iter = 0; iter < maxIter; iter++) {
    let updated = false;
    for (let i = 0; i < n; i++) {
      let best = Infinity;
      let inew = 0;
      const oi = i * p;
      for (let j = 0; j < k; j++) {
        let dd = 0;
        const oj = j * p;
        // Partial sums of non-negative terms only grow: once dd ≥ best this centre cannot win
        // (the comparison below is strict), so stopping early changes no result.
        for (let c = 0; c < p && dd < best; c++) {
          const t = data[oi + c] - cen[oj + c];
          dd += t * t;
        }
        if (dd < best) {
          best = dd;
          inew = j;
        }
      }
      if (cl[i] !== inew) {
        updated = true;
        cl[i] = inew;
      }
    }
    if (!updated) {
      converged = true;
      break;
    }
    cen.fill(0);
    nc.fill(0);
    for (let i = 0; i < n; i++) {
      const it = cl[i];
      nc[it]++;
      for (let c = 0; c < p; c++) cen[it * p + c] += data[i * p + c];
    }
    for (let j = 0; j < k; j++) for (let c = 0; c < p; c++) cen[j * p + c] /= nc[j];
  }
  // As R's C code: *pmaxiter = iter + 1 (so maxIter + 1 when the iterations did not converge).
  const iters = iter + 1;
  nc.fill(0);
  for (let i = 0; i < n; i++) nc[cl[i]]++;
  let ok = true;
  for (let j = 0; j < k; j++) if (nc[j] === 0) ok = false;
  const wss = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const it = cl[i];
    for (let c = 0; c < p; c++) {
      const t = data[i * p + c] - cen[it * p + c];
      wss[it] += t * t;
    }
  }
  return { cl, cen, iter: iters, converged, wss, ok };
}

/**
 * Hartigan's single-point transfers after Lloyd: move an observation from cluster A to B whenever that
 * lowers the total within-SS, i.e. n_B/(n_B + 1)·‖x − c_B‖² < n_A/(n_A − 1)·‖x − c_A‖², until a full pass
 * moves nothing. The result is stable under Lloyd and under every single transfer (the optimality
 * Hartigan–Wong aims at). Centres are updated incrementally and recomputed exactly at the end.
 */
function hartiganTransfers(data: Float64Array, n: number, p: number, r: LloydOut, k: number, maxPasses: number): void {
  const { cl, cen } = r;
  const nc = new Float64Array(k);
  for (let i = 0; i < n; i++) nc[cl[i]]++;
  for (let pass = 0; pass < maxPasses; pass++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      const a = cl[i];
      if (nc[a] <= 1) continue;
      const oi = i * p;
      let da = 0;
      for (let c = 0; c < p; c++) {
        const t = data[oi + c] - cen[a * p + c];
        da += t * t;
      }
      let bestCost = (nc[a] / (nc[a] - 1)) * da;
      let to = -1;
      for (let b = 0; b < k; b++) {
        if (b === a) continue;
        let db = 0;
        const f = nc[b] / (nc[b] + 1);
        const limit = bestCost / f; // stop early once b clearly cannot win (only full sums are compared)
        let c = 0;
        for (; c < p && db < limit; c++) {
          const t = data[oi + c] - cen[b * p + c];
          db += t * t;
        }
        if (c < p) continue;
        const cost = f * db;
        if (cost < bestCost) {
          bestCost = cost;
          to = b;
        }
      }
      if (to < 0) continue;
      for (let c = 0; c < p; c++) {
        const x = data[oi + c];
        cen[a * p + c] = (cen[a * p + c] * nc[a] - x) / (nc[a] - 1);
        cen[to * p + c] = (cen[to * p + c] * nc[to] + x) / (nc[to] + 1);
      }
      nc[a]--;
      nc[to]++;
      cl[i] = to;
      moved = true;
    }
    if (!moved) break;
  }
  cen.fill(0);
  for (let i = 0; i < n; i++) for (let c = 0; c < p; c++) cen[cl[i] * p + c] += data[i * p + c];
  for (let j = 0; j < k; j++) for (let c = 0; c < p; c++) cen[j * p + c] /= nc[j];
  r.wss.fill(0);
  for (let i = 0; i < n; i++) {
    const it = cl[i];
    for (let c = 0; c < p; c++) {
      const t = data[i * p + c] - cen[it * p + c];
      r.wss[it] += t * t;
    }
  }
}

/** k-means++ (Arthur & Vassilvitskii 2007): first centre uniform, then each with probability ∝ D². */
function kmeansPlusPlus(data: Float64Array, n: number, p: number, k: number, rng: SeededRandom): Float64Array {
  const cen = new Float64Array(k * p);
  const d2 = new Float64Array(n).fill(Infinity);
  let pick = rng.int(n);
  for (let j = 0; j < k; j++) {
    if (j > 0) {
      let total = 0;
      for (let i = 0; i < n; i++) total += d2[i];
      if (!(total > 0)) throw new RangeError(`k-means: fewer than k = ${k} distinct observations`);
      let r = rng.next() * total;
      pick = -1;
      for (let i = 0; i < n; i++) {
        if (d2[i] <= 0) continue;
        pick = i;
        r -= d2[i];
        if (r < 0) break;
      }
    }
    for (let c = 0; c < p; c++) cen[j * p + c] = data[pick * p + c];
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < p; c++) {
        const t = data[i * p + c] - cen[j * p + c];
        s += t * t;
      }
      if (s < d2[i]) d2[i] = s;
    }
  }
  return cen;
}

/**
 * k-means with Lloyd's algorithm. Given the same initial centres, the iterations, clusters, centres
 * and within-SS are those of R's kmeans(x, centers, algorithm = "Lloyd", iter.max = maxIter); the
 * starts come from k-means++ with a seeded PRNG (R draws random rows), and the winning solution's
 * clusters are renumbered by first appearance. R's default algorithm (Hartigan–Wong) usually reaches
 * the same optimum; with several starts both find the best partition on well-separated data.
 */
export function kmeans(x: Matrix, k: number, options: KMeansOptions = {}): KMeansResult {
  const { n, p, data } = toMatrix(x);
  if (!Number.isInteger(k) || k < 1 || k > n) throw new RangeError(`k must be a whole number in 1…${n}, got ${k}`);
  const maxIter = options.maxIter ?? 100;
  const algorithm = options.algorithm ?? 'hartigan';
  let starts: Float64Array[];
  if (options.centers) {
    if (options.centers.length !== k) throw new RangeError(`centers has ${options.centers.length} rows for k = ${k}`);
    const c = toMatrix(options.centers);
    if (c.p !== p) throw new RangeError(`centers have ${c.p} columns, the data ${p}`);
    starts = [c.data.slice()];
  } else {
    const nstart = options.nstart ?? 10;
    if (!Number.isInteger(nstart) || nstart < 1)
      throw new RangeError(`nstart must be a whole number ≥ 1, got ${nstart}`);
    const rng = new SeededRandom(options.seed ?? 1);
    starts = [];
    for (let s = 0; s < nstart; s++) starts.push(kmeansPlusPlus(data, n, p, k, rng));
  }
  let best: LloydOut | null = null;
  let bestTot = Infinity;
  let bestStart = 0;
  let failed = 0;
  for (let s = 0; s < starts.length; s++) {
    const out = lloyd(data, n, p, starts[s], k, maxIter);
    if (!out.ok) {
      failed++;
      continue;
    }
    if (algorithm === 'hartigan') hartiganTransfers(data, n, p, out, k, maxIter);
    let tot = 0;
    for (let j = 0; j < k; j++) tot += out.wss[j];
    if (tot < bestTot) {
      bestTot = tot;
      best = out;
      bestStart = s + 1;
    }
  }
  if (!best)
    throw new RangeError(`k-means: every start ended with an empty cluster; try other initial centres or another seed`);
  const r = best;

  // Renumber clusters by first appearance.
  const map = new Int32Array(k).fill(-1);
  let next = 0;
  for (let i = 0; i < n; i++) if (map[r.cl[i]] < 0) map[r.cl[i]] = next++;
  const cluster = Array.from(r.cl, (c) => map[c] + 1);
  const centers: number[][] = new Array(k);
  const size = new Array<number>(k).fill(0);
  const withinss = new Array<number>(k);
  for (let j = 0; j < k; j++) {
    const to = map[j];
    centers[to] = Array.from(r.cen.subarray(j * p, (j + 1) * p));
    withinss[to] = r.wss[j];
  }
  for (const c of cluster) size[c - 1]++;
  const totss = totalSS(data, n, p);
  return {
    cluster,
    centers,
    size,
    withinss,
    totWithinss: bestTot,
    totss,
    betweenss: totss - bestTot,
    iter: r.iter,
    converged: r.converged,
    start: bestStart,
    failedStarts: failed,
  };
}

function totalSS(data: Float64Array, n: number, p: number): number {
  let tot = 0;
  for (let c = 0; c < p; c++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += data[i * p + c];
    const mu = s / n;
    for (let i = 0; i < n; i++) {
      const t = data[i * p + c] - mu;
      tot += t * t;
    }
  }
  return tot;
}

/** Within-cluster sums of squares around the cluster means (clusters 1…k). */
export function withinSS(x: Matrix, cluster: readonly number[]): { withinss: number[]; total: number; totss: number } {
  const { n, p, data } = toMatrix(x);
  if (cluster.length !== n) throw new RangeError(`${cluster.length} cluster numbers for ${n} observations`);
  const k = Math.max(...cluster);
  const sums = new Float64Array(k * p);
  const cnt = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const c = cluster[i] - 1;
    cnt[c]++;
    for (let q = 0; q < p; q++) sums[c * p + q] += data[i * p + q];
  }
  for (let c = 0; c < k; c++) for (let q = 0; q < p; q++) sums[c * p + q] /= cnt[c] || 1;
  const w = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) {
    const c = cluster[i] - 1;
    for (let q = 0; q < p; q++) {
      const t = data[i * p + q] - sums[c * p + q];
      w[c] += t * t;
    }
  }
  return { withinss: w, total: w.reduce((a, b) => a + b, 0), totss: totalSS(data, n, p) };
}

// ---------------------------------------------------------------------------------------------
// Silhouette and diagnostics

/**
 * Silhouette widths on Euclidean distances for several partitions at once (one pass over the pairs):
 * s(i) = (b − a) / max(a, b), a = mean distance to the other members of i's cluster, b = smallest
 * mean distance to another cluster; s(i) = 0 for a singleton (Kaufman & Rousseeuw; R's
 * cluster::silhouette). Returns the widths and their average per partition.
 */
function silhouettes(x: Matrix, partitions: readonly (readonly number[])[]): { widths: number[]; average: number }[] {
  const { n, p, data } = toMatrix(x);
  const P = partitions.length;
  const ks: number[] = [];
  const offs: number[] = [];
  let S = 0;
  const cl = partitions.map((part, q) => {
    if (part.length !== n) throw new RangeError(`partition ${q + 1} has ${part.length} entries for ${n} observations`);
    const a = Int32Array.from(part, (c) => c - 1);
    let k = 0;
    for (const c of a) {
      if (c < 0) throw new RangeError(`partition ${q + 1}: cluster numbers start at 1`);
      if (c + 1 > k) k = c + 1;
    }
    ks.push(k);
    offs.push(S);
    S += k;
    return a;
  });
  const sums = new Float64Array(n * S);
  for (let i = 0; i < n; i++) {
    const oi = i * p;
    for (let j = i + 1; j < n; j++) {
      const oj = j * p;
      let s = 0;
      for (let c = 0; c < p; c++) {
        const t = data[oi + c] - data[oj + c];
        s += t * t;
      }
      const d = Math.sqrt(s);
      for (let q = 0; q < P; q++) {
        sums[i * S + offs[q] + cl[q][j]] += d;
        sums[j * S + offs[q] + cl[q][i]] += d;
      }
    }
  }
  return cl.map((part, q) => {
    const k = ks[q];
    const size = new Int32Array(k);
    for (const c of part) size[c]++;
    const widths = new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const own = part[i];
      if (size[own] <= 1) continue;
      const base = i * S + offs[q];
      const a = sums[base + own] / (size[own] - 1);
      let b = Infinity;
      for (let c = 0; c < k; c++) {
        if (c === own || size[c] === 0) continue;
        const v = sums[base + c] / size[c];
        if (v < b) b = v;
      }
      const s = b === Infinity ? 0 : (b - a) / Math.max(a, b);
      widths[i] = s;
      total += s;
    }
    return { widths: Array.from(widths), average: total / n };
  });
}

/** Silhouette of one partition (clusters 1…k). */
export function silhouette(x: Matrix, cluster: readonly number[]): { widths: number[]; average: number } {
  return silhouettes(x, [cluster])[0];
}

export interface DiagnosticRow {
  k: number;
  /** Total within-cluster sum of squares (elbow). */
  withinss: number;
  /** Share of the total sum of squares explained: 1 − within / total. */
  explained: number;
  /** Average silhouette width. */
  silhouette: number;
  /** Ward only: height of the merge that would join the k groups into k − 1 (a big jump marks a natural k). */
  height: number | null;
}

/**
 * Diagnostics for choosing the number of types, k = kMin…kMax: within-SS (elbow), average silhouette
 * and, for Ward, the dendrogram height of the next merge. Ward cuts one tree; k-means runs per k.
 */
export function clusterDiagnostics(
  x: Matrix,
  options: {
    method?: 'ward' | 'kmeans';
    kMin?: number;
    kMax?: number;
    tree?: HClust;
    seed?: number;
    nstart?: number;
  } = {},
): DiagnosticRow[] {
  const m = toMatrix(x);
  const kMin = options.kMin ?? 2;
  const kMax = Math.min(options.kMax ?? 10, m.n - 1);
  if (kMin < 2 || kMax < kMin) throw new RangeError(`need 2 ≤ kMin ≤ kMax < n, got ${kMin}…${kMax} for n = ${m.n}`);
  const method = options.method ?? 'ward';
  const tree = method === 'ward' ? (options.tree ?? wardD2(m)) : null;
  const parts: number[][] = [];
  for (let k = kMin; k <= kMax; k++)
    parts.push(tree ? cutree(tree, k) : kmeans(m, k, { seed: options.seed, nstart: options.nstart }).cluster);
  const sil = silhouettes(m, parts);
  return parts.map((part, q) => {
    const k = kMin + q;
    const w = withinSS(m, part);
    return {
      k,
      withinss: w.total,
      explained: 1 - w.total / w.totss,
      silhouette: sil[q].average,
      height: tree ? tree.height[m.n - k] : null,
    };
  });
}
