import centreFile from '@/lib/faces/public-centre.json';

/** The fixed public centring vector of face descriptors (docs/unlearning.md): from faces in no training set. */
export function publicCentre(): Float64Array {
  return Float64Array.from(centreFile.centre);
}
