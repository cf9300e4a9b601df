import crypto from 'node:crypto';

/**
 * C2SP signed notes (c2sp.org/signed-note), Ed25519 only: the text, a blank line, and one line per
 * signature, `— <key name> base64(key ID ‖ signature)`. The key ID is the first four bytes of
 * SHA-256(key name ‖ 0x0A ‖ 0x01 ‖ 32-byte public key). Written from the specification; the tests
 * reproduce its Go reference implementation's published example byte for byte.
 */
export const ED25519_NOTE_TYPE = 0x01;
const EM_DASH = '\u2014';
const MAX_SIGNATURES = 16;

export type NoteSignature = { name: string; keyId: Buffer; signature: Buffer };
export type NoteKey = { name: string; publicKey: Buffer };

/** A key name: non-empty, no Unicode space, no '+'. */
export function validKeyName(name: string): boolean {
  return name.length > 0 && !/[\s+]/u.test(name);
}

export function noteKeyId(name: string, publicKey: Buffer, type = ED25519_NOTE_TYPE): Buffer {
  return crypto
    .createHash('sha256')
    .update(Buffer.concat([Buffer.from(`${name}\n`, 'utf8'), Buffer.from([type]), publicKey]))
    .digest()
    .subarray(0, 4);
}

/** The raw 32-byte Ed25519 public key of a key object. */
export function rawPublicKey(key: crypto.KeyObject): Buffer {
  const jwk = (key.type === 'private' ? crypto.createPublicKey(key) : key).export({ format: 'jwk' });
  return Buffer.from(String(jwk.x), 'base64url');
}

/** An Ed25519 public key object from its raw 32 bytes. */
export function publicKeyFromRaw(raw: Buffer): crypto.KeyObject {
  return crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: raw.toString('base64url') }, format: 'jwk' });
}

/** An Ed25519 private key object from its 32-byte seed (PKCS #8 with the RFC 8410 prefix). */
export function privateKeyFromSeed(seed: Buffer): crypto.KeyObject {
  return crypto.createPrivateKey({ key: Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]), format: 'der', type: 'pkcs8' });
}

/** The verifier key string of the Go implementation and of witness configurations: `name+hex key ID+base64(type ‖ key)`. */
export function verifierKey(name: string, publicKey: Buffer, type = ED25519_NOTE_TYPE): string {
  return `${name}+${noteKeyId(name, publicKey, type).toString('hex')}+${Buffer.concat([Buffer.from([type]), publicKey]).toString('base64')}`;
}

/**
 * Reads a verifier key string of signature type `type` (0x01 Ed25519 note signatures, 0x04 Ed25519
 * cosignatures); throws on a malformed one, another type, or a key ID that does not match.
 */
export function parseVerifierKey(vkey: string, type = ED25519_NOTE_TYPE): NoteKey {
  const m = /^([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(vkey);
  if (!m) throw new Error('not a verifier key (name+hex8+base64)');
  const material = Buffer.from(m[3], 'base64');
  if (material.length !== 33 || material[0] !== type) throw new Error(`not a verifier key of type 0x0${type}`);
  const key = { name: m[1], publicKey: material.subarray(1) };
  if (noteKeyId(key.name, key.publicKey, type).toString('hex') !== m[2]) throw new Error('the key ID does not match the key');
  return key;
}

/** Reads a signer key string (`PRIVATE+KEY+name+hex8+base64(0x01 ‖ seed)`, the Go format) into its name and private key. */
export function parseSignerKey(skey: string): { name: string; privateKey: crypto.KeyObject } {
  const m = /^PRIVATE\+KEY\+([^+\s]+)\+([0-9a-f]{8})\+([A-Za-z0-9+/]+={0,2})$/.exec(skey);
  if (!m) throw new Error('not a signer key (PRIVATE+KEY+name+hex8+base64)');
  const material = Buffer.from(m[3], 'base64');
  if (material.length !== 33 || material[0] !== ED25519_NOTE_TYPE) throw new Error('not an Ed25519 signer key');
  const privateKey = privateKeyFromSeed(material.subarray(1));
  if (noteKeyId(m[1], rawPublicKey(privateKey)).toString('hex') !== m[2]) throw new Error('the key ID does not match the key');
  return { name: m[1], privateKey };
}

/** One signature line over `text` by `name`'s Ed25519 key. */
export function signatureLine(text: string, name: string, privateKey: crypto.KeyObject): string {
  if (!validKeyName(name)) throw new Error(`"${name}" is not a valid key name`);
  const sig = crypto.sign(null, Buffer.from(text, 'utf8'), privateKey);
  return `${EM_DASH} ${name} ${Buffer.concat([noteKeyId(name, rawPublicKey(privateKey)), sig]).toString('base64')}\n`;
}

/** The signed note: the text (ending in a newline), a blank line, the signature lines. */
export function signNote(text: string, signers: { name: string; privateKey: crypto.KeyObject }[]): string {
  checkText(text);
  return `${text}\n${signers.map((s) => signatureLine(text, s.name, s.privateKey)).join('')}`;
}

function checkText(text: string) {
  if (!text.endsWith('\n')) throw new Error('a note text ends in a newline');
  if (/[\u0000-\u0009\u000b-\u001f]/.test(text)) throw new Error('a note holds no control character but newline');
}

/** Splits a signed note into its text and signatures; throws when it is not one. */
export function parseNote(note: string): { text: string; signatures: NoteSignature[] } {
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n')) throw new Error('no blank line between the text and the signatures');
  const text = note.slice(0, split + 1);
  checkText(text);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) throw new Error(`more than ${MAX_SIGNATURES} signatures`);
  const signatures = lines.map((line) => {
    const m = new RegExp(`^${EM_DASH} (\\S+) ([A-Za-z0-9+/]+={0,2})$`).exec(line);
    if (!m || !validKeyName(m[1])) throw new Error(`malformed signature line "${line.slice(0, 80)}"`);
    const blob = Buffer.from(m[2], 'base64');
    if (blob.length < 5) throw new Error('a signature shorter than its key ID');
    return { name: m[1], keyId: blob.subarray(0, 4), signature: blob.subarray(4) };
  });
  return { text, signatures };
}

/**
 * The names of the known keys whose signatures verify. Signatures by unknown keys (name and key ID
 * not both matching) are ignored; one by a known key that fails makes the whole note fail (thrown),
 * as the specification advises; so does a note no known key signed.
 */
export function openNote(note: string, keys: NoteKey[]): { text: string; verifiedBy: string[] } {
  const { text, signatures } = parseNote(note);
  const verifiedBy: string[] = [];
  for (const s of signatures) {
    const key = keys.find((k) => k.name === s.name && noteKeyId(k.name, k.publicKey).equals(s.keyId));
    if (!key) continue;
    if (!crypto.verify(null, Buffer.from(text, 'utf8'), publicKeyFromRaw(key.publicKey), s.signature)) {
      throw new Error(`the signature by ${s.name} does not verify`);
    }
    verifiedBy.push(s.name);
  }
  if (!verifiedBy.length) throw new Error('no signature by a known key');
  return { text, verifiedBy };
}
