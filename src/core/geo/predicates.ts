// Exact geometric predicates for double-precision coordinates. Pure: no I/O.
//
// orient2d is Shewchuk's orientation test: a floating-point evaluation with his error bound
// ("ccwerrboundA") decides the sign whenever it is certain, which is all but a vanishing fraction
// of calls; otherwise the determinant is evaluated exactly with BigInt (every double is an integer
// multiple of 2^-1074). The answer is therefore exact for every input, and the same for the same
// six numbers wherever it is called — which is what makes the point-on-border rule of
// point-index.ts provably unique.

const EPSILON = 2 ** -53;
const CCW_ERRBOUND_A = (3 + 16 * EPSILON) * EPSILON;

/**
 * Sign of the orientation of c relative to the directed line a→b: 1 if c lies to the left
 * (a, b, c counter-clockwise with y up), -1 to the right, 0 exactly on the line. Exact.
 */
export function orient2d(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  const detleft = (ax - cx) * (by - cy);
  const detright = (ay - cy) * (bx - cx);
  const det = detleft - detright;
  let detsum: number;
  // The signs of the rounded differences and products are exact, so these cases are certain.
  if (detleft > 0) {
    if (detright <= 0) return det > 0 ? 1 : det < 0 ? -1 : 0;
    detsum = detleft + detright;
  } else if (detleft < 0) {
    if (detright >= 0) return det > 0 ? 1 : det < 0 ? -1 : 0;
    detsum = -detleft - detright;
  } else {
    return det > 0 ? 1 : det < 0 ? -1 : 0;
  }
  const errbound = CCW_ERRBOUND_A * detsum;
  if (det > errbound) return 1;
  if (-det > errbound) return -1;
  return orient2dExact(ax, ay, bx, by, cx, cy);
}

const view = new DataView(new ArrayBuffer(8));

/** The double v as the exact integer v · 2^1074. */
function toScaledBigInt(v: number): bigint {
  view.setFloat64(0, v);
  const hi = view.getUint32(0),
    lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (exp !== 0) m = (m | (1n << 52n)) << BigInt(exp - 1);
  return hi >>> 31 ? -m : m;
}

/** The orientation determinant evaluated in exact integer arithmetic (slow path, rarely taken). */
export function orient2dExact(ax: number, ay: number, bx: number, by: number, cx: number, cy: number): number {
  if (![ax, ay, bx, by, cx, cy].every(Number.isFinite)) return 0;
  const Cx = toScaledBigInt(cx),
    Cy = toScaledBigInt(cy);
  const det =
    (toScaledBigInt(ax) - Cx) * (toScaledBigInt(by) - Cy) - (toScaledBigInt(ay) - Cy) * (toScaledBigInt(bx) - Cx);
  return det > 0n ? 1 : det < 0n ? -1 : 0;
}
