import type { Samples } from './dataset';
import { logLoss } from './logistic';
import { predict, scores, type Head } from './predict';

/** Accuracy on labelled samples whose identity the head knows; others are counted apart. */
export function accuracy(
  head: Head,
  samples: Samples,
): { accuracy: number; evaluated: number; unknownLabel: number; perClass: Record<string, { n: number; correct: number }> } {
  const known = new Set(head.classes);
  const preds = predict(head, samples);
  const perClass: Record<string, { n: number; correct: number }> = {};
  let evaluated = 0;
  let correct = 0;
  preds.forEach((p, i) => {
    const truth = samples.labels[i];
    if (!known.has(truth)) return;
    evaluated++;
    const c = (perClass[truth] ??= { n: 0, correct: 0 });
    c.n++;
    if (p.label === truth) {
      correct++;
      c.correct++;
    }
  });
  return { accuracy: evaluated ? correct / evaluated : NaN, evaluated, unknownLabel: samples.ids.length - evaluated, perClass };
}

/** P(a > b) + ½ P(a = b) over all pairs: the area under the ROC curve of `positives` vs `negatives`. */
export function auc(positives: number[], negatives: number[]): number {
  if (!positives.length || !negatives.length) return NaN;
  const all = [...positives.map((v) => ({ v, p: 1 })), ...negatives.map((v) => ({ v, p: 0 }))].sort((a, b) => a.v - b.v);
  let rankSum = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    while (j < all.length && all[j].v === all[i].v) j++;
    const rank = (i + j + 1) / 2;
    for (let t = i; t < j; t++) if (all[t].p) rankSum += rank;
    i = j;
  }
  return (rankSum - (positives.length * (positives.length + 1)) / 2) / (positives.length * negatives.length);
}

/**
 * Loss-threshold membership inference (Yeom et al. 2018): the attacker calls a sample a member
 * when its loss is low. Statistic: −ℓ(z_y) of the sample's own class when the head has it,
 * otherwise the largest score (the class was dropped). AUC of members vs non-members; 0.5 is chance.
 */
export function membershipAuc(head: Head, members: Samples, nonMembers: Samples): number {
  const stat = (s: Samples) => {
    const z = scores(head, s);
    const K = head.classes.length;
    const index = new Map(head.classes.map((c, k) => [c, k]));
    return s.ids.map((_, i) => {
      const k = index.get(s.labels[i]);
      if (k !== undefined) return -logLoss(z[i * K + k]);
      let m = -Infinity;
      for (let c = 0; c < K; c++) m = Math.max(m, z[i * K + c]);
      return m;
    });
  };
  return auc(stat(members), stat(nonMembers));
}

/**
 * The identity test: does the head still recognise a removed person on their other photos, more
 * than it "recognises" people it never saw? Reports whether the class is still there, how often
 * it is the top class on the person's photos, and the AUC of the person's top-class probability
 * against never-seen people's (about 0.5 when the person is forgotten).
 */
export function identityTest(head: Head, label: string, personPhotos: Samples, strangers: Samples) {
  const k = head.classes.indexOf(label);
  const top = (s: Samples) => predict(head, s).map((p) => p.score);
  const preds = predict(head, personPhotos);
  return {
    classPresent: k >= 0,
    recognisedFraction: preds.filter((p) => p.label === label).length / Math.max(1, preds.length),
    aucVersusStrangers: auc(top(personPhotos), top(strangers)),
  };
}

type Linear = Exclude<Head, { kind: 'sisa' }>;

/** ‖w_a − w_b‖ / ‖w_b‖ over the classes both heads have (for audits against a retrained model). */
export function relativeDistance(a: Linear, b: Linear): number {
  const D = b.d + 1;
  const index = new Map(a.classes.map((c, k) => [c, k]));
  let diff = 0;
  let ref = 0;
  b.classes.forEach((c, k) => {
    const ka = index.get(c);
    for (let j = 0; j < D; j++) {
      const wb = b.weights[k * D + j];
      const wa = ka === undefined ? 0 : a.weights[ka * D + j];
      diff += (wa - wb) ** 2;
      ref += wb * wb;
    }
  });
  return Math.sqrt(diff) / Math.sqrt(ref);
}

/** The fraction of samples on which two heads predict the same top class. */
export function predictionAgreement(a: Head, b: Head, samples: Samples): number {
  const pa = predict(a, samples);
  const pb = predict(b, samples);
  return pa.filter((p, i) => p.label === pb[i].label).length / Math.max(1, pa.length);
}
