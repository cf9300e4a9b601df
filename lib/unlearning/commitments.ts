import crypto from 'node:crypto';

/**
 * Digests that bind a certificate to the algorithm's inputs (Thudi et al., "On the necessity of
 * auditable algorithmic definitions for machine unlearning", USENIX Security 2022): what the model
 * was trained on before and after, and what was removed. Each is recomputable from the stored
 * model files alone, so an auditor's replay checks them without trusting the database.
 */
const sha256 = (parts: string[]) => {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

/** The training-set manifest: SHA-256 over `id TAB label LF` for every sample, in row order. */
export function trainingManifestDigest(ids: string[], label: Int32Array, classes: string[]): string {
  if (ids.length !== label.length) throw new RangeError(`${ids.length} ids but ${label.length} labels`);
  return sha256(['forgetme-training-manifest-v1\n', ...ids.map((id, i) => `${id}\t${classes[label[i]] ?? ''}\n`)]);
}

/** The removed items: SHA-256 over their sample ids, sorted, one per line. */
export function removedItemsDigest(ids: string[]): string {
  return sha256(['forgetme-removed-items-v1\n', ...[...ids].sort().map((id) => `${id}\n`)]);
}
