/** Found (possible tier) against registry size, one line per label size: an SVG with the same figures as a table for screen readers. */
export function RecallChart({ rows, current }: { rows: { faces: number; labels: number; possible: Record<number, number> }[]; current: number }) {
  const sizes = Object.keys(rows[0]?.possible ?? {}).map(Number);
  const [w, h, left, bottom] = [560, 220, 48, 36];
  const x = (faces: number) => left + ((Math.log10(faces) - 3) / 4) * (w - left - 16);
  const y = (v: number) => 12 + (1 - v) * (h - bottom - 12);
  const colours = ['#9ca3af', '#2563eb', '#16a34a', '#111827'];
  return (
    <figure className="space-y-2">
      <svg viewBox={`0 0 ${w} ${h}`} className="w-full max-w-xl" role="img" aria-labelledby="recall-chart-title">
        <title id="recall-chart-title">Share of a person&apos;s labels found, by the number of faces searched</title>
        {[0, 0.25, 0.5, 0.75, 1].map((v) => (
          <g key={v}>
            <line x1={left} x2={w - 16} y1={y(v)} y2={y(v)} stroke="#e5e7eb" />
            <text x={left - 6} y={y(v) + 4} fontSize="10" textAnchor="end">
              {v * 100} %
            </text>
          </g>
        ))}
        {rows.map((r) => (
          <text key={r.faces} x={x(r.faces)} y={h - bottom + 16} fontSize="10" textAnchor="middle">
            {r.faces >= 1e6 ? `${r.faces / 1e6} M` : `${r.faces / 1e3} k`}
          </text>
        ))}
        <text x={(w + left) / 2} y={h - 4} fontSize="10" textAnchor="middle">
          faces searched
        </text>
        {current >= 1e3 && current <= 1e7 && <line x1={x(current)} x2={x(current)} y1={12} y2={h - bottom} stroke="#f59e0b" strokeDasharray="4 3" />}
        {sizes.map((s, i) => (
          <polyline
            key={s}
            fill="none"
            stroke={colours[i % colours.length]}
            strokeWidth="2"
            points={rows.map((r) => `${x(r.faces)},${y(r.possible[s])}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption className="text-sm text-gray-700">
        Lines, from light to dark: labels of {sizes.join(', ')} photos. The dashed line is today&apos;s registry. Found means shown or possible.
      </figcaption>
      <table className="w-full text-left text-sm">
        <caption className="sr-only">The chart&apos;s figures</caption>
        <thead>
          <tr className="border-b">
            <th className="py-1">Faces searched</th>
            {sizes.map((s) => (
              <th key={s} className="py-1">
                {s === 1 ? '1 photo' : `${s} photos`}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.faces} className="border-b border-gray-100">
              <td className="py-1">{r.faces.toLocaleString('en-GB')}</td>
              {sizes.map((s) => (
                <td key={s} className="py-1">
                  {(100 * r.possible[s]).toFixed(0)} %
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
