// Seeded pseudo-random numbers for the statistics core. Never Math.random: the same seed must give
// the same Monte-Carlo runs and the same k-means starts on every platform and Node version, so only
// 32-bit integer maths (Math.imul) and IEEE doubles are used.

/** splitmix32: turns any integer seed (also 0, or consecutive seeds) into a well-mixed 32-bit state. */
export function splitmix32(seed: number): number {
  let z = (seed + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * mulberry32 (Tommy Ettinger), seeded through splitmix32. Period 2^32, which is plenty for
 * thousands of Monte-Carlo runs; it is small, fast and allocation-free.
 */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    if (!Number.isFinite(seed)) throw new RangeError(`seed must be a finite number, got ${seed}`);
    this.state = splitmix32(Math.trunc(seed)) | 0;
  }

  /** Uniform in [0, 1), with 32 random bits. */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in 0 … n−1. */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
}
