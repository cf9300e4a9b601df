import { ROWS_WASM_BASE64 } from './rows-wasm';

/**
 * The row kernels of rows.wat: float32 rows against float64 vectors, in WebAssembly SIMD. With
 * the copying around them, 2.7 times the JavaScript loops they replaced for the residual sweep at
 * d = 128 and 3.5 times at d = 512, 3.6-3.9 times for scores (bench/row-kernels.ts, 2 cores,
 * Node 20). No npm package fits: tfjs-backend-wasm multiplies in float32 only, and the residual the
 * certificate rests on is summed in float64.
 *
 * Addresses are byte offsets into the kernel's memory; `rows` holds row numbers relative to `x`,
 * whose rows hold `dp` values (a multiple of 4, padded with zeros).
 */
export type RowKernel = {
  /** z[r] = x[rows[r]] · w, for r < count. */
  dots(x: number, dp: number, rows: number, count: number, w: number, z: number): void;
  /** acc += Σ_r c[r] x[rows[r]], over r < count. */
  axpy(x: number, dp: number, rows: number, count: number, c: number, acc: number): void;
  /** acc += Σ_r c[r] (x[rows[r]] ∘ x[rows[r]]), over r < count: the rows' squares, weighted. */
  axpySquares(x: number, dp: number, rows: number, count: number, c: number, acc: number): void;
  /** The n × n float64 matrix at a factored in place, A = UᵀU over its upper triangle (linalg.ts); 0 when not positive definite. */
  choleskyUpper(a: number, n: number): number;
  memory: WebAssembly.Memory;
};

/** Values per row in the kernels' layout: d rounded up to a multiple of 4 (one 128-bit load of float32s). */
export function paddedWidth(d: number): number {
  return (d + 3) & ~3;
}

const PAGE = 65536;
let instance: RowKernel | null = null;

function isKernel(exports: WebAssembly.Exports): exports is WebAssembly.Exports & RowKernel {
  const fns = [exports.dots, exports.axpy, exports.axpySquares, exports.choleskyUpper];
  return fns.every((f) => typeof f === 'function') && exports.memory instanceof WebAssembly.Memory;
}

/** The kernels, compiled once per thread (each worker thread has its own instance and memory). */
export function rowKernel(): RowKernel {
  if (!instance) {
    const compiled = new WebAssembly.Module(Buffer.from(ROWS_WASM_BASE64, 'base64'));
    const exports = new WebAssembly.Instance(compiled).exports;
    if (!isKernel(exports)) throw new Error('the row kernels do not export dots, axpy, axpySquares, choleskyUpper and memory');
    instance = exports;
  }
  return instance;
}

export type Arena<K extends string> = {
  kernel: RowKernel;
  /** Byte offset of each region (16-byte aligned). */
  at: Record<K, number>;
  f32: Float32Array;
  f64: Float64Array;
  i32: Int32Array;
};

/**
 * Lays out regions of the given byte sizes in the kernel's memory, grows it to hold them, zeroes
 * them and returns views of the memory (taken after growing: growing detaches earlier views).
 */
export function arena<K extends string>(sizes: Record<K, number>): Arena<K> {
  const kernel = rowKernel();
  const at = {} as Record<K, number>;
  let end = 0;
  for (const key of Object.keys(sizes) as K[]) {
    at[key] = end;
    end += Math.ceil(sizes[key] / 16) * 16;
  }
  const have = kernel.memory.buffer.byteLength;
  if (end > have) kernel.memory.grow(Math.ceil((end - have) / PAGE));
  const buffer = kernel.memory.buffer;
  new Uint8Array(buffer, 0, end).fill(0);
  return { kernel, at, f32: new Float32Array(buffer), f64: new Float64Array(buffer), i32: new Int32Array(buffer) };
}
