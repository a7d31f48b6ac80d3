/** One bar of a chart: a label and a value. */
export interface Bar {
  label: string;
  value: number;
}

const WIDTH = 640;
const ROW = 26;

/** Horizontal bars, drawn on the server as SVG (no script): one row per label, the value written at the bar's end. */
export function HBarChart({ title, bars, color = '#1f5fbf' }: { title: string; bars: Bar[]; color?: string }) {
  const max = Math.max(1, ...bars.map((b) => b.value));
  // Narrower than the day chart: it sits in half a page, and its text must stay readable.
  const width = 420;
  const labelWidth = 100;
  const span = width - labelWidth - 50;
  const height = bars.length * ROW + 10;
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}`}>
        {bars.map((b, i) => {
          const y = 5 + i * ROW;
          const w = Math.round((b.value / max) * span);
          return (
            <g>
              <text x={labelWidth - 8} y={y + 16} text-anchor="end" font-size="13" fill="#1d2330">
                {b.label}
              </text>
              <rect x={labelWidth} y={y + 3} width={Math.max(w, 1)} height={ROW - 8} rx="3" fill={color} />
              <text x={labelWidth + Math.max(w, 1) + 6} y={y + 16} font-size="13" fill="#5b6475">
                {String(b.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** Vertical bars over days (awards per day): a bar per day, the day of the month under every fifth. */
export function DayChart({ title, bars }: { title: string; bars: Bar[] }) {
  const height = 200;
  const base = height - 30;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const step = (WIDTH - 40) / Math.max(1, bars.length);
  return (
    <figure class="chart">
      <figcaption>
        <strong>{title}</strong> <span class="muted">{`(highest: ${max})`}</span>
      </figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-label={`${title}: ${bars.map((b) => `${b.label} ${b.value}`).join(', ')}`}>
        <line x1="30" y1={base} x2={WIDTH - 5} y2={base} stroke="#d9dde5" />
        <text x="26" y="16" text-anchor="end" font-size="11" fill="#5b6475">
          {String(max)}
        </text>
        <text x="26" y={base} text-anchor="end" font-size="11" fill="#5b6475">
          0
        </text>
        {bars.map((b, i) => {
          const h = Math.round((b.value / max) * (base - 12));
          const x = 34 + i * step;
          return (
            <g>
              <rect x={x} y={base - h} width={Math.max(2, step - 3)} height={h} fill="#1e7a3c">
                <title>{`${b.label}: ${b.value}`}</title>
              </rect>
              {i % 5 === 0 || i === bars.length - 1 ? (
                <text x={x + step / 2} y={base + 16} text-anchor="middle" font-size="11" fill="#5b6475">
                  {b.label.slice(5)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
