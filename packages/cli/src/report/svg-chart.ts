/** One named line of a chart. */
export interface Series {
  readonly name: string;
  readonly values: readonly number[];
  readonly color: string;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Escapes text for HTML and SVG. */
export function escapeHtml(s: string): string {
  return esc(s);
}

/**
 * A static SVG line chart of per-epoch values (epochs on x), with axes, ticks and a legend:
 * no script, so the report renders anywhere and prints.
 */
export function lineChart(id: string, title: string, series: readonly Series[]): string {
  const width = 520;
  const height = 260;
  const pad = { left: 56, right: 16, top: 46, bottom: 36 };
  const all = series.flatMap((s) => s.values).filter(Number.isFinite);
  const epochs = Math.max(...series.map((s) => s.values.length), 1);
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  if (!Number.isFinite(lo) || lo === hi) {
    lo = (Number.isFinite(lo) ? lo : 0) - 0.5;
    hi = lo + 1;
  }
  const x = (i: number) => pad.left + (epochs === 1 ? 0.5 : i / (epochs - 1)) * (width - pad.left - pad.right);
  const y = (v: number) => pad.top + (1 - (v - lo) / (hi - lo)) * (height - pad.top - pad.bottom);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => lo + t * (hi - lo));
  const lines = series.map((s) => {
    const points = s.values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
    return (
      `<polyline class="series" data-series="${esc(s.name)}" data-points="${s.values.length}" fill="none" stroke="${s.color}" stroke-width="2" points="${points}"/>` +
      s.values
        .map(
          (v, i) =>
            `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2.5" fill="${s.color}"><title>${esc(s.name)} epoch ${i + 1}: ${v.toFixed(4)}</title></circle>`,
        )
        .join('')
    );
  });
  const legend = series.map(
    (s, k) =>
      `<g transform="translate(${pad.left + 8 + k * 130},30)"><rect width="12" height="3" y="-2" fill="${s.color}"/><text x="16" y="3">${esc(s.name)}</text></g>`,
  );
  return `<svg id="${esc(id)}" class="chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}">
<text x="${width / 2}" y="14" text-anchor="middle" class="title">${esc(title)}</text>
${ticks.map((t) => `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" class="grid"/><text x="${pad.left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t.toPrecision(3)}</text>`).join('\n')}
${Array.from({ length: epochs }, (_, i) => `<text x="${x(i).toFixed(1)}" y="${height - pad.bottom + 16}" text-anchor="middle">${i + 1}</text>`).join('')}
<text x="${width / 2}" y="${height - 4}" text-anchor="middle">epoch</text>
${lines.join('\n')}
${legend.join('\n')}
</svg>`;
}

/** A confusion matrix as an SVG heat map: rows are true classes, columns predicted ones. */
export function heatMap(id: string, matrix: readonly (readonly number[])[], names: readonly string[]): string {
  const n = matrix.length;
  const cell = Math.max(18, Math.min(48, Math.floor(420 / Math.max(n, 1))));
  const left = 90;
  const top = 60;
  const max = Math.max(...matrix.flat(), 1);
  const cells = matrix.flatMap((row, i) =>
    row.map((v, j) => {
      const shade = Math.round(255 - (v / max) * 200);
      const fill = `rgb(${shade},${shade},255)`;
      const text = v / max > 0.55 ? '#fff' : '#000';
      return (
        `<g class="cell" data-true="${i}" data-predicted="${j}" data-count="${v}"><rect x="${left + j * cell}" y="${top + i * cell}" width="${cell}" height="${cell}" fill="${v === 0 ? '#f7f7f7' : fill}" stroke="#fff"/>` +
        `<text x="${left + j * cell + cell / 2}" y="${top + i * cell + cell / 2 + 4}" text-anchor="middle" fill="${text}" font-size="${Math.min(12, cell / 2.5)}">${v}</text></g>`
      );
    }),
  );
  const w = left + n * cell + 20;
  const h = top + n * cell + 20;
  return `<svg id="${esc(id)}" class="heatmap" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="confusion matrix">
<text x="${left + (n * cell) / 2}" y="16" text-anchor="middle" class="title">predicted</text>
${names.map((c, j) => `<text x="${left + j * cell + cell / 2}" y="${top - 8}" text-anchor="middle">${esc(c)}</text>`).join('')}
${names.map((c, i) => `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${esc(c)}</text>`).join('')}
<text x="14" y="${top + (n * cell) / 2}" transform="rotate(-90 14 ${top + (n * cell) / 2})" text-anchor="middle" class="title">true</text>
${cells.join('\n')}
</svg>`;
}
