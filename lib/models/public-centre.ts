import centreFile from '@/lib/faces/public-centre.json';
import type { FeatureSource } from '@/lib/embeddings/partner-samples';

/** The fixed public centring vector of face descriptors (docs/unlearning.md): from faces in no training set. */
export function publicCentre(): Float64Array {
  return Float64Array.from(centreFile.centre);
}

/**
 * The centring vector of a model's features: the public one for forgetme's descriptors; zero for a
 * partner's vectors, used as the partner's network gives them. A centre computed from the partner's
 * own data would depend on the very items a removal takes out.
 */
export function centreFor(source: FeatureSource): Float64Array {
  return source.kind === 'faces' ? publicCentre() : new Float64Array(source.dimension);
}
