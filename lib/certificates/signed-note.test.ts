import assert from 'node:assert/strict';
import { test } from 'node:test';
import { noteKeyId, openNote, parseNote, parseSignerKey, parseVerifierKey, rawPublicKey, signNote, verifierKey } from './signed-note';

// The example of golang.org/x/mod/sumdb/note (the reference implementation of c2sp.org/signed-note),
// note.go's package documentation and note_test.go: a signer key, its verifier key, a text, and
// the signed note it prints. Ed25519 is deterministic, so signing must reproduce it byte for byte.
const SKEY = 'PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz';
const VKEY = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
const TEXT = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
const NOTE = `${TEXT}\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n`;

test('signed notes: the Go reference example, byte for byte', () => {
  const signer = parseSignerKey(SKEY);
  assert.equal(signer.name, 'PeterNeumann');
  const pub = rawPublicKey(signer.privateKey);
  assert.equal(noteKeyId('PeterNeumann', pub).toString('hex'), 'c74f20a3', 'key ID = SHA-256(name ‖ 0x0A ‖ 0x01 ‖ key)[:4]');
  assert.equal(verifierKey('PeterNeumann', pub), VKEY);
  assert.equal(signNote(TEXT, [signer]), NOTE);
  assert.deepEqual(openNote(NOTE, [parseVerifierKey(VKEY)]), { text: TEXT, verifiedBy: ['PeterNeumann'] });
});

test('signed notes: altered text, unknown keys, malformed notes', () => {
  const peter = parseVerifierKey(VKEY);
  assert.throws(() => openNote(NOTE.replace('cryptography', 'cryptographY'), [peter]), /does not verify/);
  // A key with the same name but another key ID is unknown: ignored, so nothing verifies.
  const stranger = { name: 'PeterNeumann', publicKey: Buffer.alloc(32, 7) };
  assert.throws(() => openNote(NOTE, [stranger]), /no signature by a known key/);
  // A signature by an unknown key beside a good one is ignored.
  const extra = `${NOTE}— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n`;
  assert.deepEqual(openNote(extra, [peter]).verifiedBy, ['PeterNeumann']);
  for (const bad of [TEXT, NOTE.replace('— ', '- '), NOTE.replace('\n\n', '\n'), `${NOTE.slice(0, -1)}`, NOTE.replace('If you', 'If\tyou')])
    assert.throws(() => parseNote(bad));
  assert.throws(() => parseVerifierKey(VKEY.replace('c74f20a3', 'c74f20a4')), /key ID/);
  assert.throws(() => signNote('no final newline', [parseSignerKey(SKEY)]));
  assert.throws(() => signNote(TEXT, [{ ...parseSignerKey(SKEY), name: 'a+b' }]), /valid key name/);
});
