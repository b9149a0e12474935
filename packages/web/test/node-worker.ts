// A Web Worker stand-in for Node tests: runs the built train-worker.js in a worker_threads Worker
// with `postMessage`/`addEventListener` mapped onto its parentPort, and gives the page side the
// Worker methods `train` uses.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker as ThreadWorker } from 'node:worker_threads';

/** The built worker module (`npm run build` / `npx tsc -b packages/web` makes it). */
export const WORKER_PATH = fileURLToPath(new URL('../dist/train-worker.js', import.meta.url));

/** Writes the bootstrap into `dir` and returns a factory for `TrainOptions.worker`. */
export async function nodeWorkerFactory(dir: string): Promise<{ factory: () => Worker; started: ThreadWorker[] }> {
  if (!existsSync(WORKER_PATH)) throw new Error(`${WORKER_PATH} is missing: build first (npx tsc -b packages/web)`);
  const bootstrap = join(dir, 'web-worker-bootstrap.mjs');
  await writeFile(
    bootstrap,
    [
      "import { parentPort } from 'node:worker_threads';",
      'globalThis.postMessage = (message, options) => parentPort.postMessage(message, options?.transfer ?? []);',
      "globalThis.addEventListener = (type, listener) => { if (type === 'message') parentPort.on('message', (data) => listener({ data })); };",
      `await import(${JSON.stringify(pathToFileURL(WORKER_PATH).href)});`,
    ].join('\n'),
  );
  const started: ThreadWorker[] = [];
  const factory = () => {
    const thread = new ThreadWorker(bootstrap);
    started.push(thread);
    const worker = {
      postMessage: (message: unknown) => thread.postMessage(message),
      terminate: () => void thread.terminate(),
      addEventListener: (type: string, listener: (e: unknown) => void) => {
        if (type === 'message') thread.on('message', (data) => listener({ data }));
        if (type === 'error') thread.on('error', (err: Error) => listener({ message: err.message, preventDefault() {} }));
      },
    };
    return worker as unknown as Worker;
  };
  return { factory, started };
}
