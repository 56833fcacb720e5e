import type { Heatmap } from '../types.js';

/** Capability sub-areas by day: darker cells, more prompts. Each cell says its count on hover. */
export function CoverageHeatmap({ map }: { map: Heatmap }) {
  if (!map.days.length) return <p className="muted">No prompts yet.</p>;
  const cell = Math.max(12, Math.min(28, Math.floor(760 / map.days.length)));
  const left = 190;
  const top = 20;
  const max = Math.max(1, ...map.counts.flat());
  const width = left + map.days.length * cell + 10;
  const height = top + map.subAreas.length * cell + 10;
  // A date label is about 34 px wide: label every day that has room.
  const step = Math.ceil(34 / cell);
  return (
    <svg className="chart" width={width} height={height} role="img" aria-label="coverage heatmap">
      {map.days.map((d, j) =>
        j % step === 0 ? (
          <text key={d} x={left + j * cell} y={top - 6} className="axis">
            {d.slice(5)}
          </text>
        ) : null,
      )}
      {map.subAreas.map((s, i) => (
        <g key={s}>
          <text x={left - 6} y={top + i * cell + cell - 3} textAnchor="end" className="axis">
            {s}
          </text>
          {map.days.map((d, j) => {
            const n = map.counts[i]?.[j] ?? 0;
            return (
              <rect key={d} x={left + j * cell} y={top + i * cell} width={cell - 1} height={cell - 1} fill={n ? `rgba(220, 38, 38, ${0.15 + (0.85 * n) / max})` : '#f3f4f6'}>
                <title>{`${s} on ${d}: ${n} prompts`}</title>
              </rect>
            );
          })}
        </g>
      ))}
    </svg>
  );
}

/** Prompts per day as bars. */
export function DailyBars({ days, label }: { days: { day: string; prompts: number }[]; label: string }) {
  if (!days.length) return <p className="muted">No activity.</p>;
  const w = Math.max(4, Math.min(24, Math.floor(720 / days.length)));
  const h = 120;
  const max = Math.max(1, ...days.map((d) => d.prompts));
  return (
    <svg className="chart" width={days.length * w + 60} height={h + 30} role="img" aria-label={label}>
      <text x={0} y={12} className="axis">
        {max}
      </text>
      {days.map((d, i) => {
        const bh = Math.max(1, (d.prompts / max) * h);
        return (
          <rect key={d.day} x={40 + i * w} y={h - bh + 10} width={w - 1} height={bh} className="bar">
            <title>{`${d.day}: ${d.prompts} prompts`}</title>
          </rect>
        );
      })}
      <text x={40} y={h + 26} className="axis">
        {days[0]!.day}
      </text>
      <text x={40 + days.length * w} y={h + 26} textAnchor="end" className="axis">
        {days.at(-1)!.day}
      </text>
    </svg>
  );
}
