import { el } from './dom.js';

/**
 * Renders one horizontal bar per class into `target`, its width the class probability; the most
 * likely class is marked. With no probabilities, draws empty bars for `classes`.
 */
export function renderProbabilityBars(target: HTMLElement, classes: readonly string[], probabilities: Record<string, number> | null): void {
  target.replaceChildren();
  const best = probabilities ? classes.reduce((a, b) => (probabilities[b]! > probabilities[a]! ? b : a)) : null;
  for (const name of classes) {
    const p = probabilities?.[name] ?? 0;
    const row = el('div', undefined, { class: 'bar-row', 'data-class': name, 'data-probability': String(p) });
    const fill = el('span', undefined, { class: name === best ? 'bar-fill best' : 'bar-fill' });
    fill.style.width = `${(p * 100).toFixed(2)}%`;
    const track = el('span', undefined, { class: 'bar-track' });
    track.append(fill);
    row.append(el('span', name, { class: 'bar-label' }), track, el('span', probabilities ? p.toFixed(3) : '', { class: 'bar-value' }));
    target.append(row);
  }
}
