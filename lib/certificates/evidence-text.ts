import type { Predicate } from './predicate';

type Evidence = NonNullable<Predicate['models'][number]['evidence']>;

/**
 * One plain sentence for the per-person evidence of a model entry, for the PDF, /verify and the
 * CLI: what was tested, the outcome, and that it is evidence beside the formal guarantee.
 */
export function evidenceSentence(e: Evidence): string {
  const bound = `empirical ε lower bound ${e.empiricalEpsilon.max.toFixed(2)}`;
  const p = Math.min(e.released.pValue, e.released.deviationPValue);
  const outcome =
    e.released.verdict === 'indistinguishable'
      ? `the released model scores them as models retrained without them do (p = ${p.toFixed(2)}; ${bound})`
      : `the released model does NOT score them as retrained models do (p = ${p.toFixed(3)}; ${bound})`;
  return (
    `Evidence, beside the guarantee: a membership test of your ${e.photos} removed photo(s) against ${e.shadows} shadow models per kind ` +
    `(it tells models trained with them from models trained without them with AUC ${e.power.auc.toFixed(2)}): ${outcome}.`
  );
}

type Features = NonNullable<Predicate['models'][number]['features']>;

/** What a model's head was trained on, in one sentence (the partner's network with its own statement, or forgetme's descriptor). */
export function featuresSentence(f: Features): string {
  return f.source === 'partner'
    ? `Trained on the partner's own embedding network "${f.name}" version ${f.version} (${f.dimension} values per photo), ` +
        `which the partner states was trained on: ${f.trainingData}`
    : `Trained on forgetme's face descriptor ${f.name} ${f.version} (${f.dimension} values per photo): ${f.trainingData}.`;
}

type FirstRelease = NonNullable<Predicate['firstReleases']>[number];

/** A model that was training when the request came (predicate 2.5), in one sentence: its first version, and what it held of the photos. */
export function firstReleaseSentence(f: FirstRelease): string {
  const g = f.guarantee;
  const how =
    f.method === null
      ? 'its training had not read your photos when you asked, so it never saw them (exact)'
      : f.method === 'newton-certified'
        ? `its training had read ${f.photosTrainedOn} of your photos; they were taken out of it by certified removal before its release ` +
          `(epsilon = ${g.epsilon}, delta = ${g.delta}; residual ${g.residual?.toExponential(2)} within the bound ${g.residualBound?.toExponential(2)})`
        : `its training had read ${f.photosTrainedOn} of your photos; they were taken out of it before its release by ` +
          `${f.method === 'sisa' ? 'retraining the parts that had seen them' : 'retraining it without them'} (exact)`;
  const released = `version ${f.version}, its first, was released after your request without your photos`;
  return `Model "${f.modelName}" was being trained when you asked: ${released}; ${how}.`;
}
