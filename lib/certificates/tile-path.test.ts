import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkpointText, parseCheckpoint } from './checkpoint';
import { parseTilePath, tilePath } from './tile-path';

test('tile paths: the examples of c2sp.org/tlog-tiles, and what is not canonical', () => {
  // "index 1234067 will be encoded as x001/x234/067"
  assert.equal(tilePath({ kind: 'hashes', level: 0, n: 1234067, width: 256 }), 'tile/0/x001/x234/067');
  assert.deepEqual(parseTilePath(['0', 'x001', 'x234', '067']), { kind: 'hashes', level: 0, n: 1234067, width: 256 });
  assert.equal(tilePath({ kind: 'hashes', level: 1, n: 0, width: 17 }), 'tile/1/000.p/17');
  assert.deepEqual(parseTilePath(['1', '000.p', '17']), { kind: 'hashes', level: 1, n: 0, width: 17 });
  assert.equal(tilePath({ kind: 'entries', n: 273, width: 112 }), 'tile/entries/273.p/112');
  assert.deepEqual(parseTilePath(['entries', '273.p', '112']), { kind: 'entries', n: 273, width: 112 });
  assert.equal(tilePath({ kind: 'hashes', level: 2, n: 1000, width: 256 }), 'tile/2/x001/000');
  for (const n of [0, 5, 999, 1000, 65535, 1234067, 2 ** 40]) {
    const path = tilePath({ kind: 'hashes', level: 3, n, width: 9 });
    assert.deepEqual(parseTilePath(path.split('/').slice(1)), { kind: 'hashes', level: 3, n, width: 9 }, path);
  }
  for (const bad of ['0/1', '0/0001', '0/x001', '0/001/x234', '01/000', '64/000', '0/000.p/256', '0/000.p/0', '0/000.p/01', '0/x000/001', 'entries', 'a/000'])
    assert.equal(parseTilePath(bad.split('/')), null, bad);
});

test('checkpoints: the note text of c2sp.org/tlog-checkpoint', () => {
  // The specification's example checkpoint text.
  const text = 'example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n';
  const c = parseCheckpoint(text);
  assert.equal(c.origin, 'example.com/behind-the-sofa');
  assert.equal(c.size, 20852163);
  assert.equal(checkpointText(c), text);
  for (const bad of [
    'o\n1\nroot\n',
    'o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
    'o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=',
    '\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n',
  ])
    assert.throws(() => parseCheckpoint(bad), bad);
});
