const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 480;
const HEIGHT = 220;
const PAD = { left: 44, right: 12, top: 24, bottom: 28 };

/** One line of the chart: its name, colour, and value per epoch (missing values are skipped). */
export interface ChartSeries {
  readonly name: string;
  readonly colour: string;
  readonly values: readonly (number | undefined)[];
  /** Which vertical axis: loss on the left, accuracy (0..1) on the right. */
  readonly axis: 'loss' | 'accuracy';
}

function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number>,
  text?: string,
): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Draws loss (left axis) and accuracy (right axis, 0..1) per epoch as an inline SVG into `target`. */
export function renderTrainingChart(target: HTMLElement, series: readonly ChartSeries[], epochs: number): void {
  const root = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': 'loss and accuracy per epoch' });
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const losses = series.filter((s) => s.axis === 'loss').flatMap((s) => s.values.filter((v): v is number => v !== undefined));
  const maxLoss = Math.max(1e-9, ...losses);
  const x = (epoch: number): number => PAD.left + (epochs <= 1 ? plotW / 2 : ((epoch - 1) / (epochs - 1)) * plotW);
  const y = (value: number, axis: ChartSeries['axis']): number => PAD.top + plotH * (1 - value / (axis === 'loss' ? maxLoss : 1));
  root.append(svg('rect', { x: PAD.left, y: PAD.top, width: plotW, height: plotH, class: 'plot' }));
  root.append(svg('text', { x: 4, y: PAD.top + 8, class: 'axis' }, maxLoss.toFixed(2)));
  root.append(svg('text', { x: 4, y: PAD.top + plotH, class: 'axis' }, '0'));
  root.append(svg('text', { x: WIDTH - PAD.right, y: PAD.top - 4, class: 'axis', 'text-anchor': 'end' }, 'accuracy 1'));
  root.append(svg('text', { x: PAD.left + plotW / 2, y: HEIGHT - 6, class: 'axis', 'text-anchor': 'middle' }, `epoch (of ${epochs})`));
  series.forEach((s, i) => {
    const points = s.values.flatMap((v, e) => (v === undefined ? [] : [`${x(e + 1).toFixed(1)},${y(v, s.axis).toFixed(1)}`]));
    root.append(
      svg('polyline', {
        points: points.join(' '),
        fill: 'none',
        stroke: s.colour,
        'stroke-width': 2,
        class: 'series',
        'data-series': s.name,
      }),
    );
    root.append(svg('text', { x: PAD.left + i * 90, y: PAD.top - 8, fill: s.colour, class: 'legend' }, s.name));
  });
  target.replaceChildren(root);
}
