import { byId } from './dom.js';
import { appendEpochRow, type EpochRow } from './epoch-table.js';
import { renderTrainingChart } from './training-chart.js';

/** What a running training shows: its epochs (table and chart) and a status line. */
export interface TrainingProgress {
  epochEnded(row: EpochRow): void;
  status(text: string): void;
}

/**
 * The progress view of one run. Events may arrive hundreds of times a second (small data, many
 * epochs): they are collected and drawn at most once per animation frame, so the page keeps up.
 */
export function trainingProgress(epochs: number): TrainingProgress {
  const body = byId<HTMLTableElement>('train-epochs-table').tBodies[0]!;
  const statusLine = byId('train-status');
  const history: EpochRow[] = [];
  let pending: EpochRow[] = [];
  let statusText: string | null = null;
  let frameQueued = false;

  const draw = (): void => {
    frameQueued = false;
    for (const row of pending) appendEpochRow(body, row);
    if (pending.length) {
      renderTrainingChart(
        byId('train-chart'),
        [
          { name: 'loss', colour: '#c2410c', axis: 'loss', values: history.map((h) => h.loss) },
          { name: 'val loss', colour: '#f59e0b', axis: 'loss', values: history.map((h) => h.valLoss) },
          { name: 'accuracy', colour: '#1d4ed8', axis: 'accuracy', values: history.map((h) => h.accuracy) },
          { name: 'val accuracy', colour: '#0891b2', axis: 'accuracy', values: history.map((h) => h.valAccuracy) },
        ],
        epochs,
      );
    }
    pending = [];
    if (statusText !== null) statusLine.textContent = statusText;
    statusText = null;
  };
  const queue = (): void => {
    if (frameQueued) return;
    frameQueued = true;
    requestAnimationFrame(draw);
  };
  body.replaceChildren();
  byId('train-progress').hidden = false;
  draw();
  return {
    epochEnded(row) {
      history.push(row);
      pending.push(row);
      queue();
    },
    status(text) {
      statusText = text;
      queue();
    },
  };
}
