// Hand-written SVG line charts: no browser and no charting dependency, deterministic output.

export interface Series {
  readonly name: string;
  readonly points: ReadonlyArray<readonly [number, number]>;
  readonly dashed?: boolean;
  readonly color: string;
}

export interface Axis {
  readonly label: string;
  readonly log?: boolean;
  readonly ticks: ReadonlyArray<readonly [number, string]>;
}

const WIDTH = 720;
const HEIGHT = 420;
const M = { left: 70, right: 170, top: 40, bottom: 55 };
export const COLORS: Readonly<Record<string, string>> = {
  floor: '#555555',
  embedded: '#1b9e77',
  'services-1': '#d95f02',
  'services-2': '#7570b3',
  'services-cluster': '#e7298a',
};

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function scale(axis: Axis, min: number, max: number, from: number, to: number): (value: number) => number {
  const f = (v: number) => (axis.log ? Math.log10(Math.max(v, 1e-9)) : v);
  const a = f(min);
  const b = f(max);
  return (value) => from + ((f(value) - a) / (b - a || 1)) * (to - from);
}

/** A line chart with one line per series and a legend on the right. */
export function lineChart(title: string, x: Axis, y: Axis, series: readonly Series[]): string {
  const xs = x.ticks.map((t) => t[0]);
  const ys = y.ticks.map((t) => t[0]);
  const sx = scale(x, Math.min(...xs), Math.max(...xs), M.left, WIDTH - M.right);
  const sy = scale(y, Math.min(...ys), Math.max(...ys), HEIGHT - M.bottom, M.top);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`);
  out.push(`<text x="${M.left}" y="22" font-size="15" font-weight="bold">${escape(title)}</text>`);
  for (const [value, label] of x.ticks) {
    const px = sx(value).toFixed(1);
    out.push(`<line x1="${px}" x2="${px}" y1="${M.top}" y2="${HEIGHT - M.bottom}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${px}" y="${HEIGHT - M.bottom + 16}" text-anchor="middle">${escape(label)}</text>`);
  }
  for (const [value, label] of y.ticks) {
    const py = sy(value).toFixed(1);
    out.push(`<line x1="${M.left}" x2="${WIDTH - M.right}" y1="${py}" y2="${py}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${M.left - 6}" y="${py}" dy="4" text-anchor="end">${escape(label)}</text>`);
  }
  out.push(`<text x="${(M.left + WIDTH - M.right) / 2}" y="${HEIGHT - 12}" text-anchor="middle">${escape(x.label)}</text>`);
  out.push(`<text transform="translate(16 ${(M.top + HEIGHT - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(y.label)}</text>`);
  const clampY = (v: number) => Math.min(Math.max(v, Math.min(...ys)), Math.max(...ys));
  series.forEach((s, i) => {
    const d = s.points.map(([px, py], j) => `${j === 0 ? 'M' : 'L'}${sx(px).toFixed(1)},${sy(clampY(py)).toFixed(1)}`).join(' ');
    out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
    const ly = M.top + 10 + i * 20;
    out.push(
      `<line x1="${WIDTH - M.right + 12}" x2="${WIDTH - M.right + 36}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
    );
    out.push(`<text x="${WIDTH - M.right + 42}" y="${ly + 4}">${escape(s.name)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** Ticks at 1, 2, 5 x 10^n covering [min, max], for a log axis. */
export function logTicks(min: number, max: number, unit: string): Array<[number, string]> {
  const ticks: Array<[number, string]> = [];
  let decade = 10 ** Math.floor(Math.log10(Math.max(min, 0.01)));
  while (decade <= max * 10) {
    for (const m of [1, 2, 5]) {
      const v = m * decade;
      if (v >= min / 2 && v <= max * 2) ticks.push([v, `${Number(v.toPrecision(3))}${unit}`]);
    }
    decade *= 10;
  }
  return ticks;
}
