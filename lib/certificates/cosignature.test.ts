import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import { COSIGNATURE_TYPE, cosignatureLine, verifyCosignature } from './cosignature';
import { parseNote, parseVerifierKey, rawPublicKey, verifierKey } from './signed-note';

// A real checkpoint of a Certificate Transparency test log (arche2025h1.staging.ct.transparency.dev),
// cosigned by public witnesses, as quoted with the witness's verifier key in the tests of a
// third-party C2SP implementation. The remora.n621.de line is a tlog-cosignature/v1 (type 0x04).
const CHECKPOINT = `arche2025h1.staging.ct.transparency.dev
1432088532
U7WM79jrzyhGZ5/GUBTpM7NzwdyfFx61t3RovgcC4Ro=

— transparency.dev/DEV:witness-little-garden 2AQqhwAAAABqEiEgzgFIqqhbUoDwjMWE6UP8nd8/KYTzwZ2rhIgcqoXHAwVkjZr4AscylP3v7sEodkRAErumC2q44vdgJY096st5BQ==
— remora.n621.de 2net5wAAAABqEiEgPlfF3V06o0Y+fHM+J5J9s27wgxxcOVSpZ/2g/KSiXCg9DEZI+aVCIobWX9sXTynk5XeU/zZ0WBxtqB0DrAWfBw==
`;
const REMORA = 'remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2';

test("cosignatures: a public witness's cosignature on a real checkpoint verifies; altered, it does not", () => {
  const key = parseVerifierKey(REMORA, COSIGNATURE_TYPE);
  const { text, signatures } = parseNote(CHECKPOINT);
  const remora = signatures.find((s) => s.name === 'remora.n621.de')!;
  const t = verifyCosignature(text, remora, key);
  assert.equal(t, 0x6a122120, 'the timestamp the witness signed');
  assert.equal(verifyCosignature(text.replace('1432088532', '1432088533'), remora, key), null);
  assert.equal(verifyCosignature(text, signatures[0], key), null, "another witness's line");
  assert.throws(() => parseVerifierKey(REMORA), /type/, 'a cosigner key is not a note-signing key');
});

test('cosignatures: made here, verified here, timestamp and key bound', () => {
  const { privateKey } = crypto.generateKeyPairSync('ed25519');
  const vkey = verifierKey('witness.example/w1', rawPublicKey(privateKey), COSIGNATURE_TYPE);
  const key = parseVerifierKey(vkey, COSIGNATURE_TYPE);
  const text = 'example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const line = cosignatureLine(text, 'witness.example/w1', privateKey, 1_700_000_000);
  const [s] = parseNote(`${text}\n${line}`).signatures;
  assert.equal(verifyCosignature(text, s, key), 1_700_000_000);
  const later = Buffer.from(s.signature);
  later.writeBigUInt64BE(1_700_000_001n);
  assert.equal(verifyCosignature(text, { ...s, signature: later }, key), null, 'the timestamp is signed');
});
