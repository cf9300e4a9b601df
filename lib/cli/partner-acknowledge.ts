import crypto from 'node:crypto';
import fs from 'node:fs';
import { calculateJwkThumbprint } from 'jose';
import { canonicalJson } from '@/lib/audit/canonical-json';
import { pae } from '@/lib/certificates/dsse';
import { statementToSignSchema, type AcknowledgementView } from '@/lib/deployments/acknowledgement-view';
import { AppError } from '@/lib/errors/app-error';
import { partnerApi } from './partner-api-client';

export type AcknowledgeOptions = { apiUrl: string; apiKey: string; modelId: string; version: number; keyFile: string; weightsFile: string };

/**
 * `forgetme partner acknowledge`: signs, with the partner's own Ed25519 key, that a model version
 * runs in production, and sends the signature. It signs only what it checked itself: the weights
 * file deployed has the digest the statement names, and the statement is about the model and
 * version asked for. The private key never leaves this machine; the PAE is rebuilt here from the
 * payload, not taken from the server.
 */
export async function partnerAcknowledge(o: AcknowledgeOptions): Promise<AcknowledgementView> {
  let privateKey: crypto.KeyObject;
  try {
    privateKey = crypto.createPrivateKey(fs.readFileSync(o.keyFile));
  } catch (err) {
    throw new AppError('validation_failed', `${o.keyFile} is not a readable private key (${(err as Error).message}).`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new AppError('validation_failed', `${o.keyFile} is not an Ed25519 key.`);
  const jwk = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: String(jwk.x) }, 'sha256');
  const weights = crypto.createHash('sha256').update(fs.readFileSync(o.weightsFile)).digest('hex');

  const call = partnerApi(o.apiUrl, o.apiKey);
  const path = `/models/${o.modelId}/versions/${o.version}/deployment`;
  const parsed = statementToSignSchema.safeParse(await call<unknown>('GET', path));
  if (!parsed.success) throw new AppError('internal', `${o.apiUrl} did not answer with a deployment statement.`);
  const s = parsed.data;
  const body = Buffer.from(s.payload, 'base64');
  if (!body.equals(Buffer.from(canonicalJson(s.statement), 'utf8'))) throw new AppError('internal', 'The payload to sign is not the statement shown.');
  const p = s.statement.predicate;
  if (p.modelId !== o.modelId || p.version !== o.version)
    throw new AppError('internal', `The statement is about ${p.modelId} v${p.version}, not what was asked.`);
  if (s.statement.subject[0].digest.sha256 !== weights) {
    throw new AppError(
      'validation_failed',
      `${o.weightsFile} has sha256 ${weights}, but version ${o.version}'s weights are ${s.statement.subject[0].digest.sha256}: ` +
        'nothing was signed. Deploy that version, then acknowledge it.',
    );
  }
  const sig = crypto.sign(null, pae(s.payloadType, body), privateKey).toString('base64');
  const envelope = { payloadType: s.payloadType, payload: s.payload, signatures: [{ keyid: kid, sig }] };
  return (await call<{ acknowledgement: AcknowledgementView }>('POST', path, { json: { envelope } })).acknowledgement;
}
