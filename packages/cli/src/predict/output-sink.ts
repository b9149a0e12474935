import type { OutputTarget } from '../io/output-target.js';
import type { OutputFormat } from './output.js';
import { fileSink, type Sink, stdoutSink, streamSink } from './sink.js';

/** The output format: --format, else by the --out file name (.jsonl, .ndjson), else csv. */
export function outputFormat(format: string | undefined, out: string | undefined): OutputFormat {
  if (format !== undefined) return format as OutputFormat;
  return out !== undefined && /\.(jsonl|ndjson)$/i.test(out) ? 'jsonl' : 'csv';
}

/** Where rows go (predict, explain): stdout, through a device or FIFO, or a regular file written atomically. */
export async function openSink(target: OutputTarget, force: boolean): Promise<Sink> {
  if (target.kind === 'stdout') return stdoutSink();
  return target.kind === 'stream' ? streamSink(target.path) : fileSink(target.path, force);
}
