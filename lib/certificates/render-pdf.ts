import { PDFDocument, rgb, StandardFonts, type PDFFont, type PDFPage } from 'pdf-lib';
import QRCode from 'qrcode';
import { envelopeDigest, type Bundle } from './bundle';
import { evidenceSentence, featuresSentence, firstReleaseSentence } from './evidence-text';
import { noticeFor, type Predicate } from './predicate';
import { largeLabelOdds } from '@/lib/matcher/registry-thresholds';

/** The standard PDF fonts speak WinAnsi only: Greek letters and arrows are spelled out. */
function ascii(s: string): string {
  return s
    .replace(/ε/g, 'epsilon')
    .replace(/δ/g, 'delta')
    .replace(/σ/g, 'sigma')
    .replace(/λ/g, 'lambda')
    .replace(/→/g, '->')
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of ascii(text).split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (font.widthOfTextAtSize(next, size) > width && line) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * certificate.pdf: the key facts, what they mean in plain language, what the certificate does not
 * cover, and a QR code to the online verifier. The JSON bundle is the evidence; this is its reading.
 */
export async function renderCertificatePdf(bundle: Bundle, predicate: Predicate, verifyUrl: string): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(`forgetme removal certificate ${predicate.certificateId}`);
  doc.setSubject('Certified removal of face photos from machine-learning models');
  doc.setProducer('forgetme');
  doc.setCreationDate(new Date(predicate.issuedAt));
  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  const mono = await doc.embedFont(StandardFonts.Courier);
  let page: PDFPage = doc.addPage([595, 842]);
  const M = 50;
  const W = 595 - 2 * M;
  let y = 842 - M;
  const ensure = (h: number) => {
    if (y - h < M) {
      page = doc.addPage([595, 842]);
      y = 842 - M;
    }
  };
  const text = (s: string, opts: { font?: PDFFont; size?: number; color?: [number, number, number]; gap?: number } = {}) => {
    const size = opts.size ?? 10;
    const font = opts.font ?? regular;
    for (const line of wrap(s, font, size, W)) {
      ensure(size + 4);
      page.drawText(line, { x: M, y: y - size, size, font, color: rgb(...(opts.color ?? [0.07, 0.07, 0.07])) });
      y -= size + 4;
    }
    y -= opts.gap ?? 4;
  };

  text('Certificate of removal', { font: bold, size: 22, gap: 2 });
  text('Face photos removed from face-recognition models, with a verifiable guarantee', { size: 11, color: [0.3, 0.3, 0.3], gap: 12 });
  const qr = await QRCode.toBuffer(verifyUrl, { type: 'png', margin: 1, width: 240 });
  const img = await doc.embedPng(qr);
  page.drawImage(img, { x: 595 - M - 100, y: 842 - M - 105, width: 100, height: 100 });
  const facts: [string, string][] = [
    ['Certificate', predicate.certificateId],
    ['Issued', `${predicate.issuedAt.replace('T', ' ').slice(0, 19)} UTC`],
    ['Company', predicate.organization.name],
    ['Request', predicate.requestId],
    ['Photos removed', String(predicate.datasets.reduce((s, d) => s + d.removedItems, 0))],
  ];
  for (const [k, v] of facts) text(`${k}: ${v}`, { font: k === 'Certificate' ? bold : regular, size: 10, gap: 0 });
  y -= 10;

  text('What was done', { font: bold, size: 13 });
  for (const d of predicate.datasets) {
    text(
      `Training set "${d.name}": ${d.removedItems} photo(s) removed (${d.confirmedItems} you confirmed, ` +
        `${d.unreviewedItems} possible match(es) you chose to include without seeing them). They are excluded from every later search and training.`,
    );
  }
  for (const m of predicate.models) {
    const how =
      m.method === 'newton-certified'
        ? `certified removal: the new model is, up to a privacy guarantee of epsilon = ${m.guarantee.epsilon} and delta = ${m.guarantee.delta}, ` +
          `distributed as if it had been trained without your photos (measured residual ${m.guarantee.residual?.toExponential(2)} ` +
          `within the bound ${m.guarantee.residualBound?.toExponential(2)})`
        : m.method === 'sisa'
          ? 'exact removal: the parts of the model that had seen your photos were retrained without them'
          : 'the model was retrained from scratch without your photos (exact)';
    text(
      `Model "${m.modelName}": version ${m.before.version} replaced by version ${m.after.version} by ${how}. ` +
        `${m.samplesRemoved} training sample(s) removed${m.classesDropped ? `; ${m.classesDropped} identity class(es) removed entirely` : ''}. ` +
        `Accuracy on held-out photos before/after: ${fmt(m.accuracy.before)} / ${fmt(m.accuracy.after)}.`,
    );
    if (m.features) text(featuresSentence(m.features));
    // The standard PDF fonts have no Greek: ε is spelled out.
    if (m.evidence) text(evidenceSentence(m.evidence).replace(/ε/g, 'epsilon'));
  }
  for (const f of predicate.firstReleases ?? []) {
    text(`${firstReleaseSentence(f)} Accuracy on held-out photos: ${fmt(f.accuracy)}.`);
    text(featuresSentence(f.features));
  }
  const notice = noticeFor(bundle.envelope);
  if (notice) {
    text('Notice', { font: bold, size: 13 });
    text(notice.replace(/ε/g, 'epsilon').replace(/δ/g, 'delta'));
  }
  y -= 4;
  text('What this means', { font: bold, size: 13 });
  text(
    'A face-recognition model learns from photos. Removing photos from the training set alone does not make the model forget them. ' +
      'Here, the model itself was updated so that, mathematically, it behaves almost exactly as if it had never seen your photos, ' +
      'and that update was checked before it was released.',
  );
  if (predicate.search) {
    const s = predicate.search;
    text('How your photos were found', { font: bold, size: 13 });
    text(
      `forgetme searched ${s.facesSearched.toLocaleString('en')} faces of ${s.labelsSearched.toLocaleString('en')} labelled people ` +
        `in ${s.datasetsSearched} training set(s). At the thresholds this size put in force (calibrated ${s.calibrated}), ` +
        `a search could expect about ${s.expectedStrangers.shown.toFixed(3)} ${s.strangersCounted === 'photos' ? "strangers' photos" : 'strangers'} among ` +
        `the photos shown to you and ${s.expectedStrangers.possible.toFixed(2)} among the possible ones` +
        (s.strangersCounted === 'photos' ? '' : ' (each stranger counted once, however many photos of them a training set holds)') +
        (s.extrapolated ? ' (rates below what the calibration data could count, read from a fitted model).' : '.') +
        (s.largeLabel ? ` Also, ${largeLabelOdds(s.largeLabel)}.` : '') +
        (s.referenceGroups && s.referenceGroups > 1
          ? ` Your photos did not all look alike, so they were searched as ${s.referenceGroups} separate faces, with thresholds made stricter for each.`
          : ''),
    );
  }
  text('What it does not cover', { font: bold, size: 13 });
  text(predicate.scope);
  text('How to check it', { font: bold, size: 13 });
  text(
    `Scan the code or open ${verifyUrl} and upload the certificate.json file that came with this PDF. The check runs without an account. ` +
      `The certificate is signed with the platform key ${bundle.envelope.signatures[0].keyid} and recorded as entry ${bundle.inclusionProof.leafIndex} ` +
      `of a public append-only log (tree of ${bundle.treeHead.size}, root ${bundle.treeHead.rootHash.slice(0, 16)}...).`,
  );
  text(`Fingerprint of the signed certificate (SHA-256): ${envelopeDigest(bundle.envelope).toString('hex')}`, { font: mono, size: 8 });
  return doc.save();
}

function fmt(v: number | null): string {
  return v === null ? 'n/a' : `${(v * 100).toFixed(1)} %`;
}
