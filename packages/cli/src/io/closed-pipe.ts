/**
 * A reader that closes early (`onnx-mlp train | head -1`) is not an error: stop quietly, as Unix
 * tools do, rather than crash on EPIPE with a stack trace.
 */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}
