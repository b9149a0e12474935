import { DataType } from '../ir/dtype.js';
import { defineOp } from './registry.js';
import { numbersOf } from './shape-rules.js';

defineOp({
  opType: 'Dropout',
  // Opset 13: (data, ratio?, training_mode?) -> (output, mask?)
  infer: ([x]) => [
    { dtype: x!.dtype, shape: x!.shape },
    { dtype: DataType.BOOL, shape: x!.shape },
  ],
  constantInputs: [1, 2],
  // The backward pass reuses the forward mask: dx = dy * mask / (1 - ratio). It needs the mask
  // output to exist, so emitters that train ask Dropout for two outputs.
  gradient: ({ b, inputs: [x, ratio, training], outputs, dy: [g] }) => {
    const mask = outputs[1];
    const trainingData = training?.name ? b.constantData(training) : undefined;
    if (!trainingData || numbersOf(trainingData)[0] === 0) return [g, undefined, undefined];
    if (!mask) throw new Error('Dropout: the training graph must request the mask output to differentiate');
    const ratioData = ratio?.name ? b.constantData(ratio) : undefined;
    const r = ratioData ? numbersOf(ratioData)[0]! : 0.5;
    const keep = b.op('Cast', [mask], { to: { kind: 'int', value: x!.dtype } });
    return [b.op('Mul', [g, b.op('Mul', [keep, b.constant(1 / (1 - r), x!.dtype)])]), undefined, undefined];
  },
});
