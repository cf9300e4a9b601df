import crypto from 'node:crypto';

/** A DSSE envelope (https://github.com/secure-systems-lab/dsse, v1). */
export type Envelope = { payloadType: string; payload: string; signatures: { keyid: string; sig: string }[] };

/** PAE(type, body) = "DSSEv1" SP len(type) SP type SP len(body) SP body, lengths in bytes, decimal. */
export function pae(payloadType: string, body: Uint8Array): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([Buffer.from(`DSSEv1 ${type.length} `), type, Buffer.from(` ${body.length} `), body]);
}

/** Signs a payload with an Ed25519 key: the signature covers the PAE, so the type cannot be swapped. */
export function signEnvelope(payloadType: string, body: Uint8Array, key: { kid: string; privateKey: crypto.KeyObject }): Envelope {
  const sig = crypto.sign(null, pae(payloadType, body), key.privateKey);
  return { payloadType, payload: Buffer.from(body).toString('base64'), signatures: [{ keyid: key.kid, sig: sig.toString('base64') }] };
}

/** Whether `sig` is an Ed25519 signature of the envelope's PAE by the JWK. */
export function verifyEnvelopeSignature(env: Envelope, sig: { sig: string }, jwk: crypto.JsonWebKey): boolean {
  try {
    const key = crypto.createPublicKey({ key: jwk, format: 'jwk' });
    return crypto.verify(null, pae(env.payloadType, Buffer.from(env.payload, 'base64')), key, Buffer.from(sig.sig, 'base64'));
  } catch {
    return false;
  }
}
