/**
 * Removal budget used and accuracy over versions, as an SVG line chart with a data table behind
 * it (the figures are readable without the picture, and the two series differ by shape as well as
 * colour: circles and squares).
 */
export function BudgetChart({ versions }: { versions: { version: number; budgetUsed: number; accuracy: number | null }[] }) {
  const W = 560;
  const H = 180;
  const pad = 32;
  const x = (i: number) => pad + (versions.length === 1 ? (W - 2 * pad) / 2 : (i * (W - 2 * pad)) / (versions.length - 1));
  const y = (v: number) => H - pad - Math.min(1, Math.max(0, v)) * (H - 2 * pad);
  const line = (pts: [number, number][]) => pts.map(([a, b], i) => `${i ? 'L' : 'M'}${a.toFixed(1)},${b.toFixed(1)}`).join(' ');
  const budget = versions.map((v, i) => [x(i), y(v.budgetUsed)] as [number, number]);
  const acc = versions.flatMap((v, i) => (v.accuracy == null ? [] : [[x(i), y(v.accuracy)] as [number, number]]));
  return (
    <figure className="space-y-2 rounded-lg bg-white p-4 ring-1 ring-gray-200">
      <figcaption className="font-semibold">Removal budget used and accuracy, by version</figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        className="w-full max-w-xl"
        role="img"
        aria-label="Line chart of the removal budget used and the accuracy of each version; the same figures are in the table below."
      >
        {[0, 0.5, 1].map((t) => (
          <g key={t}>
            <line x1={pad} x2={W - pad} y1={y(t)} y2={y(t)} stroke="#e5e7eb" />
            <text x={4} y={y(t) + 4} fontSize="10" fill="#4b5563">
              {t * 100}%
            </text>
          </g>
        ))}
        {versions.map((v, i) => (
          <text key={v.version} x={x(i)} y={H - 8} fontSize="10" textAnchor="middle" fill="#4b5563">
            v{v.version}
          </text>
        ))}
        <path d={line(budget)} fill="none" stroke="#b45309" strokeWidth="2" strokeDasharray="5 3" />
        {budget.map(([a, b], i) => (
          <circle key={i} cx={a} cy={b} r="4" fill="#b45309" />
        ))}
        {acc.length ? <path d={line(acc)} fill="none" stroke="#1d4ed8" strokeWidth="2" /> : null}
        {acc.map(([a, b], i) => (
          <rect key={i} x={a - 4} y={b - 4} width="8" height="8" fill="#1d4ed8" />
        ))}
      </svg>
      <p className="text-xs text-gray-600">● dashed: budget used · ■ solid: held-out accuracy</p>
      <table className="text-xs">
        <caption className="sr-only">Figures behind the chart</caption>
        <thead>
          <tr>
            <th scope="col" className="pr-4 text-left">
              Version
            </th>
            <th scope="col" className="pr-4 text-right">
              Budget used
            </th>
            <th scope="col" className="text-right">
              Accuracy
            </th>
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => (
            <tr key={v.version}>
              <td className="pr-4">v{v.version}</td>
              <td className="pr-4 text-right">{(v.budgetUsed * 100).toFixed(1)} %</td>
              <td className="text-right">{v.accuracy == null ? '–' : `${(v.accuracy * 100).toFixed(1)} %`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
