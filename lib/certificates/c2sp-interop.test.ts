import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import * as checkpointRoute from '@/app/api/v1/transparency/log/checkpoint/route';
import * as tileRoute from '@/app/api/v1/transparency/log/tile/[...path]/route';
import { getJwks } from '@/lib/crypto/get-jwks';
import { issueCertificates } from '@/lib/testing/issue-certificates';
import { describeEachDriver } from '@/lib/testing/test-db';
import { setUpTestEnvironment } from '@/lib/testing/test-env';
import { getBundle } from './get-bundle';
import { verifyBundle, type Jwk } from './verify-bundle';

setUpTestEnvironment();

/*
 * An independent client of the log, written from c2sp.org/signed-note, tlog-checkpoint, tlog-tiles
 * and RFC 9162 alone: it imports none of forgetme's log, note or Merkle code, and reads the log
 * only as a client would, through its public checkpoint and tile endpoints.
 */
const sha256 = (...parts: Buffer[]) => crypto.createHash('sha256').update(Buffer.concat(parts)).digest();
const leafOf = (entry: Buffer) => sha256(Buffer.from([0]), entry);
const parentOf = (l: Buffer, r: Buffer) => sha256(Buffer.from([1]), l, r);

/** RFC 9162 §2.1.1: MTH of a list of leaf hashes. */
function mth(leaves: Buffer[]): Buffer {
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return parentOf(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

/** RFC 9162 §2.1.3.2: verifying an inclusion proof. */
function inclusionRoot(index: number, size: number, leaf: Buffer, path: Buffer[]): Buffer | null {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = parentOf(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else r = parentOf(r, p);
    fn >>= 1;
    sn >>= 1;
  }
  return sn === 0 ? r : null;
}

/** JSON with keys sorted at every depth (the log's leaf is the SHA-256 of the envelope's canonical JSON). */
function sortedJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJson(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/** c2sp.org/signed-note + tlog-checkpoint: verify a checkpoint with raw Ed25519 public keys; returns origin, size, root. */
function openCheckpoint(note: string, publicKeys: Buffer[]): { origin: string; size: number; root: Buffer } {
  const cut = note.lastIndexOf('\n\n');
  const text = note.slice(0, cut + 1);
  const [origin, size, root] = text.split('\n');
  let verified = 0;
  for (const line of note.slice(cut + 2, -1).split('\n')) {
    const [dash, name, b64] = line.split(' ');
    assert.equal(dash, '\u2014');
    const blob = Buffer.from(b64, 'base64');
    for (const pub of publicKeys) {
      const id = sha256(Buffer.from(`${name}\n`), Buffer.from([1]), pub).subarray(0, 4);
      if (name !== origin || !id.equals(blob.subarray(0, 4))) continue;
      const key = crypto.createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: pub.toString('base64url') }, format: 'jwk' });
      assert.ok(crypto.verify(null, Buffer.from(text), key, blob.subarray(4)), 'a known key signed it');
      verified++;
    }
  }
  assert.ok(verified > 0, 'the checkpoint is signed by the log key');
  return { origin, size: Number(size), root: Buffer.from(root, 'base64') };
}

/** c2sp.org/tlog-tiles: the tile path of index n. */
function path(level: string, n: number, width: number): string {
  const groups = [];
  let rest = n;
  do {
    groups.unshift(String(rest % 1000).padStart(3, '0'));
    rest = Math.floor(rest / 1000);
  } while (rest > 0);
  return `tile/${level}/${groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/')}${width < 256 ? `.p/${width}` : ''}`;
}

const BASE = 'http://localhost/api/v1/transparency/log';
async function fetchTile(p: string): Promise<Response> {
  return tileRoute.GET(new Request(`${BASE}/${p}`));
}
async function tile(level: string, n: number, width: number): Promise<Buffer> {
  const res = await fetchTile(path(level, n, width));
  assert.equal(res.status, 200, path(level, n, width));
  assert.equal(res.headers.get('content-type'), 'application/octet-stream');
  return Buffer.from(await res.arrayBuffer());
}

describeEachDriver('the log as C2SP checkpoint and tiles, checked by an independent client', () => {
  test("checkpoint, hash tiles, entry bundles and a bundle's proof verify from the specifications alone", async () => {
    assert.equal((await checkpointRoute.GET(new Request(`${BASE}/checkpoint`))).status, 404, 'an empty log has no checkpoint');
    const ids = await issueCertificates(300);
    const jwks = (await getJwks()) as { keys: Jwk[] };
    const publicKeys = jwks.keys.map((k) => Buffer.from(k.x!, 'base64url'));

    const res = await checkpointRoute.GET(new Request(`${BASE}/checkpoint`));
    assert.equal(res.headers.get('content-type'), 'text/plain; charset=utf-8');
    const cp = openCheckpoint(await res.text(), publicKeys);
    assert.equal(cp.size, 300);
    assert.match(cp.origin, /\/api\/v1\/transparency\/log$/);

    // 300 leaves: one full level-0 tile, a partial one of 44, and a partial level-1 tile of 1 (c2sp.org/tlog-tiles, "Partial Tiles").
    const level0 = Buffer.concat([await tile('0', 0, 256), await tile('0', 1, 44)]);
    const leaves = Array.from({ length: 300 }, (_, i) => level0.subarray(i * 32, i * 32 + 32));
    assert.ok(mth(leaves).equals(cp.root), 'the tiles hash to the checkpoint root');
    assert.ok((await tile('1', 0, 1)).equals(mth(leaves.slice(0, 256))), 'a level-1 hash is the MTH of a full level-0 tile');
    const entries = Buffer.concat([await tile('entries', 0, 256), await tile('entries', 1, 44)]);
    for (let i = 0, at = 0; i < 300; i++) {
      const len = entries.readUInt16BE(at);
      assert.ok(leafOf(entries.subarray(at + 2, at + 2 + len)).equals(leaves[i]), `entry ${i} hashes to its leaf`);
      at += 2 + len;
    }
    for (const [p, why] of [
      ['tile/0/001', 'a full tile the log does not have yet'],
      ['tile/0/001.p/45', 'wider than the log'],
      ['tile/2/000.p/1', 'a level above the tree'],
      ['tile/0/1', 'not canonical'],
    ])
      assert.equal((await fetchTile(p)).status, 404, why);

    // Certificate 100's bundle: its checkpoint (size 101) verifies, its proof leads to that root, and that
    // root is the MTH of the first 101 leaves of today's tiles: the log was only appended to since.
    const bundle = JSON.parse(JSON.stringify(await getBundle(ids[100])));
    const old = openCheckpoint(bundle.checkpoint, publicKeys);
    assert.equal(old.size, 101);
    const leaf = leafOf(sha256(Buffer.from(sortedJson(bundle.envelope))));
    const proof = bundle.inclusionProof.hashes.map((h: string) => Buffer.from(h, 'hex'));
    assert.ok(inclusionRoot(100, 101, leaf, proof)?.equals(old.root), 'the inclusion proof leads to the checkpoint root');
    assert.ok(mth(leaves.slice(0, 101)).equals(old.root), 'consistent with the log as served now');
    // And forgetme's own verifier checks the same checkpoint.
    const v = verifyBundle(bundle, jwks);
    assert.ok(v.ok, JSON.stringify(v.checks.filter((c) => !c.ok)));
    assert.equal(v.checks.find((c) => c.id === 'checkpoint')?.ok, true);
    const forged = { ...bundle, checkpoint: bundle.checkpoint.replace(old.root.toString('base64'), cp.root.toString('base64')) };
    assert.equal(verifyBundle(forged, jwks).checks.find((c) => c.id === 'checkpoint')?.ok, false, 'an altered checkpoint fails');
    const older = { ...bundle, checkpoint: undefined };
    assert.ok(verifyBundle(older, jwks).ok, 'a bundle from before checkpoints still verifies');
    assert.equal(
      verifyBundle(older, jwks).checks.find((c) => c.id === 'checkpoint'),
      undefined,
    );
  });
});
