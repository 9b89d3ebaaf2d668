// Small deterministic random helpers for the demo city. Never Math.random: the same seed must
// always give the same city, on every platform (only 32-bit integer maths and IEEE doubles).

/** Mixes integer parts into a 32-bit hash (murmur3-style finaliser per part). */
export function hash32(...parts: number[]): number {
  let h = 0x2545f491;
  for (const part of parts) {
    let k = Math.imul(part | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) determined by the integer parts. */
export function unitHash(...parts: number[]): number {
  return hash32(...parts) / 4294967296;
}

/** mulberry32: a tiny, fast 32-bit PRNG with good enough statistics for synthetic data. */
export class Rng {
  private state: number;
  private spare: number | null = null;

  constructor(seed: number) {
    this.state = hash32(seed) | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [a, b). */
  range(a: number, b: number): number {
    return a + (b - a) * this.next();
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = this.next();
    while (u <= 1e-12) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i];
      items[i] = items[j];
      items[j] = t;
    }
    return items;
  }
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/**
 * An integer count of successes out of n with probability p: exact Bernoulli sum for small n,
 * a rounded normal approximation otherwise. Always within [0, n].
 */
export function binomial(n: number, p: number, rng: Rng): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (n < 25) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rng.next() < p) k++;
    return k;
  }
  const k = Math.round(n * p + Math.sqrt(n * p * (1 - p)) * rng.normal());
  return clamp(k, 0, n);
}

/** A Poisson-distributed count (Knuth for small means, rounded normal otherwise). */
export function poisson(mean: number, rng: Rng): number {
  if (mean <= 0) return 0;
  if (mean < 30) {
    const l = Math.exp(-mean);
    let k = 0;
    let p = rng.next();
    while (p > l) {
      k++;
      p *= rng.next();
    }
    return k;
  }
  return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
}

/**
 * Splits an integer total by shares with the largest-remainder method: the parts are integers
 * and add up to the total exactly.
 */
export function splitInteger<T extends Int32Array | number[] = number[]>(
  total: number,
  shares: ArrayLike<number>,
  into?: T,
): T {
  const n = shares.length;
  const out = (into ?? new Array<number>(n)) as T;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += shares[i];
  let assigned = 0;
  const rema = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const exact = sum > 0 ? (total * shares[i]) / sum : 0;
    const f = Math.floor(exact);
    out[i] = f;
    rema[i] = exact - f;
    assigned += f;
  }
  let left = total - assigned;
  while (left > 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (rema[i] > rema[best]) best = i;
    out[best] += 1;
    rema[best] = -1;
    left--;
  }
  return out;
}
