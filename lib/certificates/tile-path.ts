/**
 * C2SP tlog-tiles paths (c2sp.org/tlog-tiles): `tile/<L>/<N>[.p/<W>]` for hashes and
 * `tile/entries/<N>[.p/<W>]` for entry bundles, N in zero-padded 3-digit elements, all but the
 * last prefixed with `x` (1234067 is `x001/x234/067`). Written from the specification.
 */
export const TILE_WIDTH = 256;
export const TILE_HEIGHT = 8;

export type TileRef = { kind: 'hashes'; level: number; n: number; width: number } | { kind: 'entries'; n: number; width: number };

/** The path of tile `n` (below `tile/`), `width` < 256 for a partial tile. */
export function tilePath(ref: TileRef): string {
  const digits = String(ref.n).padStart(3, '0');
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end).padStart(3, '0'));
  const index = groups.map((g, i) => (i < groups.length - 1 ? `x${g}` : g)).join('/');
  const head = ref.kind === 'entries' ? 'entries' : String(ref.level);
  return `tile/${head}/${index}${ref.width < TILE_WIDTH ? `.p/${ref.width}` : ''}`;
}

/** Reads the path segments after `tile/`; null for anything that is not a canonical tile path. */
export function parseTilePath(segments: string[]): TileRef | null {
  if (segments.length < 2) return null;
  const [head, ...rest] = segments;
  let width = TILE_WIDTH;
  const last = rest[rest.length - 1];
  if (rest.length >= 2 && /^[1-9]\d{0,2}$/.test(last) && rest[rest.length - 2].endsWith('.p')) {
    width = Number(last);
    if (width >= TILE_WIDTH) return null;
    rest.pop();
    rest[rest.length - 1] = rest[rest.length - 1].slice(0, -2);
  }
  if (!rest.length || rest.length > 6) return null;
  if (!rest.every((g, i) => (i < rest.length - 1 ? /^x\d{3}$/.test(g) : /^\d{3}$/.test(g)))) return null;
  const n = Number(rest.map((g) => g.replace('x', '')).join(''));
  if (!Number.isSafeInteger(n) || (rest.length > 1 && rest[0] === 'x000')) return null;
  if (head === 'entries') return { kind: 'entries', n, width };
  if (!/^(0|[1-9]\d?)$/.test(head) || Number(head) > 63) return null;
  return { kind: 'hashes', level: Number(head), n, width };
}
