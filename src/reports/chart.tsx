/**
 * A small line chart as server-rendered SVG: no script, no styles (presentation attributes
 * only, so the console's CSP needs nothing new). Pure: the same data draws the same markup.
 */

export interface Series {
  name: string;
  values: number[];
  /** A stroke colour (presentation attribute). */
  color: string;
}

export interface ChartInput {
  title: string;
  labels: string[];
  series: Series[];
  width?: number;
  height?: number;
}

const PAD = { left: 48, right: 16, top: 16, bottom: 48 };

/** The smallest "round" number (1, 2 or 5 times a power of ten) at or above `max`; 1 for nothing. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where each value sits in the plot box: evenly across, 0 at the bottom, `top` at the top. */
export function plotPoints(values: number[], top: number, box: Box): [number, number][] {
  const step = values.length > 1 ? box.width / (values.length - 1) : 0;
  return values.map((v, i) => [
    round(box.x + (values.length > 1 ? i * step : box.width / 2)),
    round(box.y + box.height - (Math.max(0, v) / top) * box.height),
  ]);
}

const round = (n: number) => Math.round(n * 10) / 10;

export function LineChart({ title, labels, series, width = 720, height = 260 }: ChartInput) {
  const box: Box = { x: PAD.left, y: PAD.top, width: width - PAD.left - PAD.right, height: height - PAD.top - PAD.bottom };
  const top = niceMax(Math.max(0, ...series.flatMap((s) => s.values)));
  const ticks = tickValues(top).map((value) => ({ value, y: round(box.y + box.height - (value / top) * box.height) }));
  const xLabels = labelPositions(labels.length).map((i) => ({ text: labels[i]!, x: plotPoints(labels.map(() => 0), top, box)[i]![0] }));
  return (
    <svg xmlns="http://www.w3.org/2000/svg" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={title} class="chart">
      <title>{title}</title>
      {ticks.map((t) => (
        <g>
          <line x1={box.x} x2={box.x + box.width} y1={t.y} y2={t.y} stroke="#d0d7de" stroke-width="1" />
          <text x={box.x - 6} y={t.y + 4} text-anchor="end" font-size="11" fill="#57606a">
            {t.value}
          </text>
        </g>
      ))}
      {xLabels.map((l) => (
        <text x={l.x} y={box.y + box.height + 16} text-anchor="middle" font-size="11" fill="#57606a">
          {l.text}
        </text>
      ))}
      {series.map((s) => {
        const points = plotPoints(s.values, top, box);
        return (
          <g>
            <polyline points={points.map(([x, y]) => `${x},${y}`).join(' ')} fill="none" stroke={s.color} stroke-width="2" />
            {points.map(([x, y], i) => (
              <circle cx={x} cy={y} r="2.5" fill={s.color}>
                <title>{`${s.name}, ${labels[i]}: ${s.values[i]}`}</title>
              </circle>
            ))}
          </g>
        );
      })}
      {series.map((s, i) => (
        <g>
          <rect x={box.x + i * 150} y={height - 18} width="12" height="12" fill={s.color} />
          <text x={box.x + i * 150 + 18} y={height - 8} font-size="12" fill="#24292f">
            {s.name}
          </text>
        </g>
      ))}
    </svg>
  );
}

/** Grid lines at whole numbers: the scale top split in 4, 5, 2 or 1 equal steps, whichever divides it. */
export function tickValues(top: number): number[] {
  const steps = [4, 5, 2, 1].find((n) => Number.isInteger(top / n)) ?? 1;
  return Array.from({ length: steps + 1 }, (_, i) => (top / steps) * i);
}

/** First, last and up to five evenly spaced labels between, so dates never overlap. */
export function labelPositions(count: number): number[] {
  if (count <= 0) return [];
  const wanted = Math.min(count, 7);
  if (wanted === 1) return [0];
  return [...new Set(Array.from({ length: wanted }, (_, i) => Math.round((i * (count - 1)) / (wanted - 1))))];
}
