import type { EpochRecord } from '@onnx-mlp/core';
import type { WebTrainErrorCode } from '../errors.js';
import type { TrainEvents, TrainOptions } from './options.js';

/** The options that travel to the worker: everything but callbacks, the signal and the worker factory. */
export type WorkerTrainOptions = Omit<TrainOptions, keyof TrainEvents | 'signal' | 'worker'>;

/** Page → worker: start training. */
export interface StartMessage {
  readonly type: 'train';
  readonly options: WorkerTrainOptions;
}

/** The event callbacks a worker forwards, by name. */
export type EventName = Exclude<keyof TrainEvents, 'onNotice'> | 'onNotice';

/** Worker → page. Result buffers are transferred, not copied. */
export type WorkerMessage =
  | { readonly type: 'event'; readonly name: EventName; readonly event: unknown }
  | {
      readonly type: 'done';
      readonly model: ArrayBuffer;
      readonly checkpoint: ArrayBuffer;
      readonly history: EpochRecord[];
      readonly testMetrics: Record<string, number>;
    }
  | { readonly type: 'error'; readonly code: WebTrainErrorCode | null; readonly message: string };
