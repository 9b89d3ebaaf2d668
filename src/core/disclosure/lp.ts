// The one place that loads the HiGHS WebAssembly module (the only I/O of core/disclosure) and the
// small helpers that build its sparse models.
import * as highsModule from 'highs';
import type { Highs } from 'highs';

type Loader = () => Promise<Highs>;
// The package is CommonJS with an ES entry; TypeScript sees its default export one level down.
const mod = highsModule as unknown as { default: Loader | { default: Loader } };
const loadHighs: Loader = typeof mod.default === 'function' ? mod.default : mod.default.default;

let loading: Promise<Highs> | undefined;

/** The HiGHS runtime, loaded once per process. */
export function highs(): Promise<Highs> {
  if (!loading) loading = loadHighs();
  return loading;
}

/** Options for every model: quiet, and no presolve (the models are small and solved many times). */
export const QUIET = { output_flag: false, presolve: 'off' } as const;

/** Builds a CSR matrix from rows of (column, coefficient) lists. */
export function csr(numCols: number, rows: { cols: number[]; vals: number[] }[]) {
  const starts = new Int32Array(rows.length + 1);
  let nnz = 0;
  rows.forEach((r, i) => {
    starts[i] = nnz;
    nnz += r.cols.length;
  });
  starts[rows.length] = nnz;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  let k = 0;
  for (const r of rows) {
    // HiGHS wants no duplicate column within a row; callers pass distinct columns.
    for (let j = 0; j < r.cols.length; j++) {
      indices[k] = r.cols[j];
      values[k++] = r.vals[j];
    }
  }
  return { format: 'csr' as const, numRows: rows.length, numCols, starts, indices, values };
}
