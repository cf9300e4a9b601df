import { prepareSamples, type Samples } from './dataset';
import { scoreRows } from './kernels/score-rows';
import { sigmoid } from './logistic';
import { sisaLogits, type SisaModel } from './sisa';

/** What prediction needs of a linear head (classes, D-dimensional weights, the centring vector), or a SISA ensemble. */
export type Head = { classes: string[]; weights: Float64Array; center: Float64Array; d: number } | SisaModel;

/** Scores (log-odds) of every class for every sample (n × K, row-major): z_k = w_kᵀx' for a linear head. */
export function scores(head: Head, samples: Samples): Float64Array {
  const { x, n } = prepareSamples(samples, head.center);
  if ('shards' in head) return sisaLogits(head, x, n);
  const K = head.classes.length;
  const z = new Float64Array(n * K);
  scoreRows(x, head.d + 1, n, head.weights, K, z);
  return z;
}

export type Prediction = { id: string; label: string; score: number };

/** The top class of each sample and its probability σ(z). */
export function predict(head: Head, samples: Samples): Prediction[] {
  const z = scores(head, samples);
  const K = head.classes.length;
  return samples.ids.map((id, i) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (z[i * K + k] > z[i * K + best]) best = k;
    return { id, label: head.classes[best], score: sigmoid(z[i * K + best]) };
  });
}
