import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';

/** The demo's Vite config; its build lands in packages/web/demo/dist. */
export const DEMO_CONFIG = fileURLToPath(new URL('../../packages/web/demo/vite.config.ts', import.meta.url));

/** A port nothing listens on right now, on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The built demo served by `vite preview` (with its cross-origin isolation headers) on 127.0.0.1. */
export interface DemoSite {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Builds the demo as `npm run build:demo` does (the package must be built: `npm run build`) and
 * serves the static output on a free port of 127.0.0.1, as a user hosting the files would.
 */
export async function serveBuiltDemo(): Promise<DemoSite> {
  await build({ configFile: DEMO_CONFIG, logLevel: 'warn' });
  const port = await freePort();
  const server: PreviewServer = await preview({
    configFile: DEMO_CONFIG,
    logLevel: 'warn',
    preview: { host: '127.0.0.1', port, strictPort: true },
  });
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve, reject) => server.httpServer.close((error) => (error ? reject(error) : resolve()))),
  };
}
