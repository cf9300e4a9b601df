import assert from 'node:assert/strict';
import { test } from 'node:test';
import { npyHeaderBytes } from '@/lib/cli/partner-import-features';
import { npyHeader, NpyError, parseFeatureLine, parseJsonLines, parseNpy } from './parse-features';

const D = 64;
const values = (v: number) => Array.from({ length: D }, (_, j) => v + j / 100);

test('a JSON line is one id and one vector of finite float32 values, refused by line and item otherwise', () => {
  const ok = parseFeatureLine(JSON.stringify({ id: 'a', vector: values(0.5) }), 3, D);
  assert.ok(ok && !('code' in ok));
  assert.equal(ok.vector.length, D);
  assert.equal(ok.vector[1], Math.fround(0.51));
  assert.equal(parseFeatureLine('   ', 4, D), null, 'blank lines are allowed');
  const code = (text: string) => {
    const r = parseFeatureLine(text, 7, D);
    return r && 'code' in r ? [r.code, r.line, r.externalId] : null;
  };
  assert.deepEqual(code('{"id": "a", "vector": [1, 2]}'), ['wrong_dimension', 7, 'a']);
  assert.deepEqual(code(`{"id": "a", "vector": [${values(0).slice(1).join(',')}, "1"]}`), ['not_finite', 7, 'a']);
  assert.deepEqual(code(`{"id": "a", "vector": [${values(0).slice(1).join(',')}, 1e300]}`), ['not_finite', 7, 'a'], 'finite in float64, not in float32');
  assert.deepEqual(code(JSON.stringify({ id: 'a', vector: Array(D).fill(0) })), ['zero_vector', 7, 'a']);
  assert.deepEqual(code(JSON.stringify({ id: 'a\nb', vector: values(1) })), ['bad_line', 7, null], 'a control character in the id');
  assert.deepEqual(code(`{"id": "a\\ud800", "vector": [${values(1).join(',')}]}`), ['bad_line', 7, null], 'an unpaired surrogate in the id');
  assert.deepEqual(code(JSON.stringify({ id: 'a', vector: values(1), label: 'x' })), ['bad_line', 7, 'a'], 'unknown fields');
  assert.deepEqual(code('[1, 2]'), ['bad_line', 7, null]);
  assert.deepEqual(code('{"id": "a", "vector": '), ['bad_line', 7, null]);
});

test('an item twice in one upload: the second is refused', async () => {
  const line = JSON.stringify({ id: 'a', vector: values(1) });
  const r = await parseJsonLines([line, JSON.stringify({ id: 'b', vector: values(2) }), line], D);
  assert.deepEqual(
    r.vectors.map((v) => v.externalId),
    ['a', 'b'],
  );
  assert.deepEqual(
    r.refusals.map((x) => [x.line, x.code]),
    [[3, 'duplicate_item']],
  );
});

function npy(bytesPerValue: 4 | 8, rows: number[][]): Buffer {
  const data = Buffer.alloc(rows.length * D * bytesPerValue);
  rows.flat().forEach((v, i) => (bytesPerValue === 4 ? data.writeFloatLE(v, i * 4) : data.writeDoubleLE(v, i * 8)));
  return Buffer.concat([npyHeaderBytes(bytesPerValue, rows.length, D), data]);
}

test('a .npy array: float32 and float64 rows read with their ids; what is not a C-ordered 2-D little-endian float array is refused', () => {
  for (const size of [4, 8] as const) {
    const r = parseNpy(npy(size, [values(1), values(2)]), ['x', 'y'], D);
    assert.deepEqual(
      r.vectors.map((v) => [v.externalId, v.line, v.vector[0]]),
      [
        ['x', 1, 1],
        ['y', 2, 2],
      ],
    );
  }
  const header = npyHeaderBytes(4, 2, D);
  assert.equal(header.length % 64, 0, 'the header is padded to 64 bytes, as NumPy writes it');
  assert.deepEqual(npyHeader(npy(4, [values(1)])), { rows: 1, columns: D, bytesPerValue: 4, dataOffset: header.length });
  const withHeader = (dict: string) => {
    const h = Buffer.alloc(10);
    h.write('\x93NUMPY', 0, 'latin1');
    h[6] = 1;
    h.writeUInt16LE(dict.length, 8);
    return Buffer.concat([h, Buffer.from(dict, 'latin1'), Buffer.alloc(D * 4)]);
  };
  const refused = (buf: Buffer, pattern: RegExp) =>
    assert.throws(
      () => npyHeader(buf),
      (e: unknown) => e instanceof NpyError && pattern.test(e.message),
    );
  refused(withHeader(`{'descr': '>f4', 'fortran_order': False, 'shape': (1, ${D}), }\n`), /big|little-endian/);
  refused(withHeader(`{'descr': '<i4', 'fortran_order': False, 'shape': (1, ${D}), }\n`), /float32/);
  refused(withHeader(`{'descr': '<f4', 'fortran_order': True, 'shape': (1, ${D}), }\n`), /Fortran/);
  refused(withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (${D},), }\n`), /2-D/);
  refused(withHeader(`{'descr': '<f4', 'fortran_order': False, 'shape': (2, ${D}), }\n`), /data is/);
  refused(Buffer.from('not an array at all'), /magic/);
  assert.throws(() => parseNpy(npy(4, [values(1)]), ['x', 'y'], D), /1 rows and the ids part 2 ids/);
});
