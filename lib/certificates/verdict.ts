import type { Verification } from './verify-bundle';

/** The outcome of a verification in plain words, for the first line a person reads (the /verify page, `forgetme verify`). */
export type Verdict = { ok: boolean; headline: string; summary: string };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What a verification means for someone who does not read DSSE or Merkle proofs: genuine or not,
 * what the certificate says, and which checks failed. The technical checks stay available below it.
 */
export function verdictOf(v: Verification): Verdict {
  const format = v.checks.find((c) => c.id === 'format');
  if (format && !format.ok) {
    return {
      ok: false,
      headline: 'Not a certificate',
      summary: 'This file is not a forgetme removal certificate: choose the certificate.json that came with the PDF.',
    };
  }
  const p = v.predicate;
  const first = p?.firstReleases ?? [];
  const says = p
    ? `It says that ${p.organization.name} removed ${plural(
        p.models.reduce((n, m) => n + m.samplesRemoved, 0) + first.reduce((n, f) => n + f.photosTrainedOn, 0),
        'photo',
      )} from ${plural(p.models.length + first.length, 'model')} for request ${p.requestId}, on ${p.issuedAt.slice(0, 10)} (certificate ${p.certificateId}).`
    : '';
  if (v.ok) {
    const online = v.checks.some((c) => c.id === 'consistency');
    return {
      ok: true,
      headline: 'Genuine: every check passed',
      summary:
        `${says} The platform's published key signed it, and its public log holds it` +
        (online ? ', a log that has only been added to since.' : '. (Checked offline: whether the log was rewritten since was not checked.)'),
    };
  }
  const failed = v.checks.filter((c) => !c.ok);
  const signature = failed.find((c) => c.id === 'signature');
  const unknownKey = signature && /No signature is by a published key/.test(signature.detail);
  return {
    ok: false,
    headline: 'Not verified: do not rely on this certificate',
    summary:
      `${plural(failed.length, 'check')} of ${v.checks.length} failed: ${failed.map((c) => c.label.toLowerCase()).join(', ')}.` +
      (unknownKey ? ' Its signature is by a key this platform never published: it may come from another platform; verify it there.' : '') +
      (says && !signature ? ` ${says}` : ''),
  };
}
