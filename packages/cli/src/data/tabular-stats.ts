import { TabularStats as CoreTabularStats, type LabelPlan, type TabularColumns } from '@onnx-mlp/core/tabular';
import { CLI_HINTS, cliTabular } from './cli-tabular.js';
import type { TabularOptions } from './tabular-options.js';

export { describeTask, type LabelPlan, type TabularColumns } from '@onnx-mlp/core/tabular';

/** Core's TabularStats for a CLI run: advice names the CLI's flags, setting errors are worded as flags. */
export class TabularStats extends CoreTabularStats {
  constructor(o: TabularOptions, columns: TabularColumns) {
    super({ settings: o, file: o.file, hints: CLI_HINTS }, columns);
  }

  override labelPlan(files: readonly string[]): LabelPlan {
    return cliTabular(() => super.labelPlan(files));
  }
}
