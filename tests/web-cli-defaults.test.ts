import { describe, expect, it } from 'vitest';
import { TRAIN_OPTIONS } from '../packages/cli/src/train/train-options.js';
import { dataQualitySettings } from '../packages/cli/src/train/train-options-data-quality.js';
import { resolveTrainSettings } from '../packages/web/src/train/options.js';

// The web package's `train` promises the defaults of `onnx-mlp train`; its option checks are written
// apart from the CLI's option table, so this pins every default the table states to what the web
// package fills in when the option is left out.
describe("the web package's train defaults are the CLI's", () => {
  const web = resolveTrainSettings({ data: 'y\n1\n', label: 'y' });
  const cli = Object.fromEntries(TRAIN_OPTIONS.filter((o) => 'default' in o).map((o) => [o.name, (o as { default: unknown }).default]));
  const webValue: Record<string, unknown> = {
    epochs: web.epochs,
    'batch-size': web.batchSize,
    seed: web.seed,
    optimizer: web.optimizer.kind,
    hidden: web.spec.hidden.join(','),
    activation: web.spec.activation,
    dropout: web.spec.dropout,
    init: web.spec.init,
    schedule: web.schedule.name,
    warmup: web.schedule.warmup,
  };

  it.each(Object.keys(webValue))('--%s', (name) => {
    expect(cli[name], `the CLI's table states no default for --${name}`).toBeDefined();
    expect(webValue[name]).toEqual(cli[name]);
  });
});

// The data options have no yargs default (they only mean something with --data): their defaults come
// from train-options-data-quality.ts's resolver, which the web package must equal.
describe("the web package's data-quality defaults are the CLI's", () => {
  const web = resolveTrainSettings({ data: 'y\n1\n', label: 'y' }).dataset;
  const cli = dataQualitySettings({});
  it.each(Object.keys(cli) as (keyof typeof cli)[])('%s', (key) => {
    expect(web[key]).toEqual(cli[key]);
  });
});
