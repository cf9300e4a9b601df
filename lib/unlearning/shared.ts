/**
 * Typed arrays over SharedArrayBuffer, so that the class workers read the features and write
 * their classes' weights, Hessians and residuals in place, with no copies.
 */
export function sharedF64(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}

/** Preprocessed features are float32 (4 bytes a value: the n × D rows are most of a model's memory); every sum over them is float64. */
export function sharedF32(length: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(length * 4));
}

export function toSharedF32(a: ArrayLike<number>): Float32Array {
  const out = sharedF32(a.length);
  out.set(a);
  return out;
}

export function sharedI32(length: number): Int32Array {
  return new Int32Array(new SharedArrayBuffer(length * 4));
}

export function toSharedF64(a: ArrayLike<number>): Float64Array {
  const out = sharedF64(a.length);
  out.set(a);
  return out;
}

export function toSharedI32(a: ArrayLike<number>): Int32Array {
  const out = sharedI32(a.length);
  out.set(a);
  return out;
}

export function sharedU32(length: number): Uint32Array {
  return new Uint32Array(new SharedArrayBuffer(length * 4));
}

export function toSharedU32(a: ArrayLike<number>): Uint32Array {
  const out = new Uint32Array(new SharedArrayBuffer(a.length * 4));
  out.set(a);
  return out;
}

export function sharedU8(length: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(length));
}
