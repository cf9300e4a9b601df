import crypto from 'node:crypto';

/** A signed tree head: the log's size and root at a moment, signed by the platform. */
export type TreeHead = { size: number; rootHash: string; timestamp: string; keyid: string; signature: string };

/** The exact bytes a tree head's signature covers. */
export function treeHeadMessage(h: Pick<TreeHead, 'size' | 'rootHash' | 'timestamp'>): Buffer {
  return Buffer.from(`forgetme-tree-head-v1\n${h.size}\n${h.rootHash}\n${h.timestamp}\n`, 'utf8');
}

export function signTreeHead(h: Pick<TreeHead, 'size' | 'rootHash' | 'timestamp'>, key: { kid: string; privateKey: crypto.KeyObject }): TreeHead {
  return { ...h, keyid: key.kid, signature: crypto.sign(null, treeHeadMessage(h), key.privateKey).toString('base64') };
}

export function verifyTreeHeadSignature(h: TreeHead, jwk: crypto.JsonWebKey): boolean {
  try {
    return crypto.verify(null, treeHeadMessage(h), crypto.createPublicKey({ key: jwk, format: 'jwk' }), Buffer.from(h.signature, 'base64'));
  } catch {
    return false;
  }
}
