import type { EpochRecord } from '@onnx-mlp/core';

/**
 * One plain progress line per epoch, e.g.
 * `epoch  3/10  loss 0.2201  acc 0.9376  val_loss 0.2844  val_acc 0.9085  0.20s`.
 * Fixed-width numbers keep the columns aligned; the time is last so runs compare by prefix.
 */
export function epochLine(record: EpochRecord & { readonly epsilon?: number }, totalEpochs: number): string {
  const width = String(totalEpochs).length;
  const parts = [`epoch ${String(record.epoch).padStart(width)}/${totalEpochs}`, `loss ${record.loss.toFixed(4)}`];
  if (record.accuracy !== undefined) parts.push(`acc ${record.accuracy.toFixed(4)}`);
  if (record.valLoss !== undefined) parts.push(`val_loss ${record.valLoss.toFixed(4)}`);
  if (record.valAccuracy !== undefined) parts.push(`val_acc ${record.valAccuracy.toFixed(4)}`);
  if (record.epsilon !== undefined) parts.push(`ε ${record.epsilon.toFixed(3)}`);
  parts.push(`${record.seconds.toFixed(2)}s`);
  return parts.join('  ');
}
