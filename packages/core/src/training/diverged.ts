import { OnnxMlpError } from '../errors.js';

/** Thrown when the loss becomes NaN or infinite; the trainer goes back to the last completed epoch. */
export class TrainingDivergedError extends OnnxMlpError {
  constructor(
    readonly epoch: number,
    readonly step: number,
    readonly loss: number,
  ) {
    super(`loss became ${loss} at epoch ${epoch}, step ${step}: lower the learning rate or check the data for extreme values`, {
      code: 'TRAINING_DIVERGED',
      fields: { epoch, step, loss },
      userError: true,
    });
    this.name = 'TrainingDivergedError';
  }
}
