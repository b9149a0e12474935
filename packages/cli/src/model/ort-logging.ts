import * as ort from 'onnxruntime-node';

/**
 * ONNX Runtime's own log lines (a warning about a graph it loads, a provider that fails to start)
 * are shown only with --verbose, so that a failing command prints exactly one line: the CLI's.
 * Set once, before the first session: onnxruntime-node applies env.logLevel when it initialises,
 * and every session's default severity follows it.
 */
export function quietOnnxRuntime(verbose: boolean): void {
  ort.env.logLevel = verbose ? 'warning' : 'fatal';
}
