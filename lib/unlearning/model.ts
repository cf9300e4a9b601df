/**
 * The state of a certified-removal model (kind newton-certified) in memory. Everything the
 * removal mechanism needs is here: the weights, the secret noise b, the cached per-class
 * step matrices, the exact residual of the released weights, and the remaining training data.
 */
export type NewtonParams = {
  /** Per-sample L2 regularisation λ (the objective uses λ n_k). */
  lambda: number;
  /** Standard deviation σ of the objective's noise b_k ~ N(0, σ² I). */
  sigma: number;
  epsilon: number;
  delta: number;
  /** Fraction r of negatives each class trains on (1 = all). */
  subsample: number;
  /**
   * Chooses which negatives each class trains on when subsample < 1 (a public choice: it decides
   * nothing a partner could use against the guarantee). The noise has no seed: it is drawn from a
   * cryptographic source (secret-noise.ts).
   */
  subsampleSeed: number;
  /**
   * 1: a class's negatives are whole labels, every photo of a label or none (the hash is of the
   * label, not the photo), so the photos of one person touch their own class and about r(K − 1)
   * others however many there are. 0 or absent: each photo is drawn alone, and a person's m photos
   * touch about 1 − (1 − r)^m of the classes.
   */
  subsampleByLabel?: number;
};

/**
 * Where a model's noise came from: `secret`, drawn from a cryptographic source and sealed; or
 * `seeded`, derived from a seed that the partner chose or could read (models made before secret
 * noise): its guarantee does not hold against the partner, and no certificate may rest on it.
 */
export type NoiseSource = 'secret' | 'seeded';

export type NewtonModel = {
  kind: 'newton-certified';
  /** Raw feature dimension d; the model works in D = d + 1 (a bias coordinate). */
  d: number;
  /** The fixed public centring vector (length d). */
  center: Float64Array;
  params: NewtonParams;
  /** Class labels, K of them, in weight-row order. */
  classes: string[];
  /** K × D weights, row k = class k, the last coordinate the bias. */
  weights: Float64Array;
  /** K × D secret noise b (never published; sealed at rest). */
  noise: Float64Array;
  noiseSource: NoiseSource;
  /** The 32-byte salt of the noise's hiding commitment (kept with b, as secret as b). */
  noiseSalt: Uint8Array;
  /**
   * K × D × D cached step matrices (Hessians at training, downdated by removals), or null where
   * they would not fit the memory budget (step-matrices.ts): removals then take Newton steps by
   * conjugate gradients on Hessian-vector products (newton-cg.ts).
   */
  hessians: Float64Array | null;
  /** K × D exact gradient residual of the released weights on the perturbed objective over the data. */
  residual: Float64Array;
  /** Whether the cached Hessians are exact at the current weights (true right after training). */
  hessiansExact: boolean;
  /** D × D Gram matrix X'ᵀX' of the remaining data (for ‖X'‖₂ in the paper's bound). */
  gram: Float64Array;
  /** The remaining training samples: ids, class index per row, n × D preprocessed features. */
  ids: string[];
  label: Int32Array;
  x: Float32Array;
  /** In memory only, with subsampling: each class's rows, so removals need not rescan every row per class. */
  rowsCache?: Int32Array[];
};

export function featureDim(m: Pick<NewtonModel, 'd'>): number {
  return m.d + 1;
}
