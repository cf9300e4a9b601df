'use client';

import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Figures } from '@/lib/compliance/figures';

// Series differ by dash pattern and marker shape as well as colour, so the charts read in greyscale.
const STYLES = [
  { stroke: '#1d4ed8', dash: undefined, shape: 'circle' },
  { stroke: '#b45309', dash: '6 3', shape: 'square' },
  { stroke: '#047857', dash: '2 2', shape: 'triangle' },
  { stroke: '#7c3aed', dash: '8 2 2 2', shape: 'diamond' },
] as const;

function Marker({ cx, cy, shape, color }: { cx?: number; cy?: number; shape: string; color: string }) {
  if (cx === undefined || cy === undefined) return null;
  if (shape === 'square') return <rect x={cx - 4} y={cy - 4} width={8} height={8} fill={color} />;
  if (shape === 'triangle') return <polygon points={`${cx},${cy - 5} ${cx - 5},${cy + 4} ${cx + 5},${cy + 4}`} fill={color} />;
  if (shape === 'diamond') return <polygon points={`${cx},${cy - 5} ${cx + 5},${cy} ${cx},${cy + 5} ${cx - 5},${cy}`} fill={color} />;
  return <circle cx={cx} cy={cy} r={4} fill={color} />;
}

export function FiguresCharts({ figures }: { figures: Figures }) {
  const versions = [...new Set(figures.models.flatMap((m) => m.versions.map((v) => v.version)))].sort((a, b) => a - b);
  const byVersion = versions.map((v) =>
    Object.fromEntries([
      ['version', `v${v}`],
      ...figures.models.flatMap((m) => {
        const x = m.versions.find((y) => y.version === v);
        return x
          ? [
              [`budget:${m.name}`, +(x.budgetUsed * 100).toFixed(2)],
              [`accuracy:${m.name}`, x.accuracy === null ? null : +(x.accuracy * 100).toFixed(2)],
            ]
          : [];
      }),
    ]),
  );
  const lines = (kind: 'budget' | 'accuracy') =>
    figures.models.map((m, i) => {
      const st = STYLES[i % STYLES.length];
      return (
        <Line
          key={m.id}
          type="monotone"
          dataKey={`${kind}:${m.name}`}
          name={m.name}
          stroke={st.stroke}
          strokeDasharray={st.dash}
          strokeWidth={2}
          connectNulls
          dot={(p: { cx?: number; cy?: number; index?: number }) => (
            <Marker key={`${m.id}-${p.index}`} cx={p.cx} cy={p.cy} shape={st.shape} color={st.stroke} />
          )}
          isAnimationActive={false}
        />
      );
    });
  return (
    <div className="grid gap-6 lg:grid-cols-2">
      <figure className="rounded-lg bg-white p-4 ring-1 ring-gray-200" data-testid="chart-removals">
        <figcaption className="mb-2 font-semibold">Removals per week (the last {figures.weeks} weeks)</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={figures.removalsPerWeek}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="week" fontSize={11} />
            <YAxis allowDecimals={false} fontSize={11} />
            <Tooltip />
            <Legend />
            <Bar dataKey="certificates" name="Certificates" fill="#1d4ed8" isAnimationActive={false} />
            <Bar dataKey="photos" name="Photos removed" fill="#b45309" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </figure>
      <figure className="rounded-lg bg-white p-4 ring-1 ring-gray-200" data-testid="chart-budget">
        <figcaption className="mb-2 font-semibold">Removal budget used per model (%), by version</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={byVersion}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="version" fontSize={11} />
            <YAxis fontSize={11} unit="%" domain={[0, 'auto']} />
            <Tooltip />
            <Legend />
            {lines('budget')}
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <figure className="rounded-lg bg-white p-4 ring-1 ring-gray-200 lg:col-span-2" data-testid="chart-accuracy">
        <figcaption className="mb-2 font-semibold">Held-out accuracy per model (%), by version</figcaption>
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={byVersion}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="version" fontSize={11} />
            {/* From the tens below the lowest value to 100 %: an accuracy axis never runs past 100 % (recharts' 'auto' drew 98-102 %). */}
            <YAxis fontSize={11} unit="%" domain={[(min: number) => Math.max(0, Math.floor((min - 1) / 10) * 10), 100]} allowDecimals={false} />
            <Tooltip />
            <Legend />
            {lines('accuracy')}
          </LineChart>
        </ResponsiveContainer>
      </figure>
    </div>
  );
}
