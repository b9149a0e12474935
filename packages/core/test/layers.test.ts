import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = join(dirname(fileURLToPath(import.meta.url)), '../src');

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The modules `file` imports or re-exports by relative path, as paths under src/ without extension (`ir/graph`). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g)].map((m) => m[1]!);
  return specifiers.map((s) => relative(SRC, join(dirname(file), s)).replace(/\.js$/, ''));
}

/**
 * What each layer may import, lowest first: the IR knows no op; ops know the IR; autodiff walks
 * ops' rules; privacy clips per example in a step; artifacts build graphs and may name the
 * training-state types but not the trainer.
 */
const ALLOWED: Record<string, readonly string[]> = {
  ir: ['errors'],
  ops: ['errors', 'ir'],
  autodiff: ['errors', 'ir', 'ops'],
  // privacy/ emits per-example clipping into a train step and draws the host's batches and noise.
  privacy: ['errors', 'ir', 'ops', 'autodiff', 'model'],
  artifacts: ['errors', 'ir', 'ops', 'autodiff', 'model', 'losses', 'optimizers', 'privacy', 'preprocess', 'training/state'],
  // The explain graph replays a decoded model and differentiates it; it needs no trainer.
  explain: ['errors', 'ir', 'ops', 'autodiff', 'artifacts/metadata', 'preprocess/schema'],
};

/** Whether `target` (`ir/graph`) lies in one of `allowed` (a folder, or one module such as `training/state`). */
function permitted(target: string, layer: string, allowed: readonly string[]): boolean {
  return [layer, ...allowed].some((a) => target === a || target.startsWith(`${a}/`));
}

/** The package's entry points (index.ts, entry/*.ts) sit above every layer: they may import any. */
function isEntryPoint(file: string): boolean {
  return file === 'index.ts' || file.startsWith('entry/');
}

describe('layers point one way', () => {
  for (const [layer, allowed] of Object.entries(ALLOWED)) {
    it(`${layer}/ imports only ${allowed.join(', ')}`, () => {
      const files = sources(join(SRC, layer));
      expect(files.length).toBeGreaterThan(0);
      const wrong = files.flatMap((f) =>
        relativeImports(f)
          .filter((t) => !permitted(t, layer, allowed))
          .map((t) => `${relative(SRC, f)} -> ${t}`),
      );
      expect(wrong).toEqual([]);
    });
  }

  // tabular/ is the front ends' shared table -> training-data pipeline: it sits above training/ (split, schedule, early stopping).
  const ABOVE_TRAINING = ['training/', 'tabular/'];

  it('nothing below training/ imports it, except the training-state types', () => {
    const wrong = sources(SRC)
      .filter((f) => !ABOVE_TRAINING.some((dir) => relative(SRC, f).startsWith(dir)) && !isEntryPoint(relative(SRC, f)))
      .flatMap((f) =>
        relativeImports(f)
          .filter((t) => t.startsWith('training/') && t !== 'training/state')
          .map((t) => `${relative(SRC, f)} -> ${t}`),
      );
    expect(wrong).toEqual([]);
  });

  it('no layer imports an entry point', () => {
    const wrong = sources(SRC)
      .filter((f) => !isEntryPoint(relative(SRC, f)))
      .flatMap((f) =>
        relativeImports(f)
          .filter((t) => t === 'index' || t.startsWith('entry/'))
          .map((t) => `${relative(SRC, f)} -> ${t}`),
      );
    expect(wrong).toEqual([]);
  });

  it('nothing in core imports tabular/ but tabular/ itself and the entry points', () => {
    const wrong = sources(SRC)
      .filter((f) => !relative(SRC, f).startsWith('tabular/') && !isEntryPoint(relative(SRC, f)))
      .flatMap((f) =>
        relativeImports(f)
          .filter((t) => t.startsWith('tabular/'))
          .map((t) => `${relative(SRC, f)} -> ${t}`),
      );
    expect(wrong).toEqual([]);
  });

  it('the import scan sees the imports it checks', () => {
    expect(relativeImports(join(SRC, 'ops/arithmetic.ts'))).toContain('ops/sum-to-shape');
    expect(relativeImports(join(SRC, 'artifacts/checkpoint.ts'))).toContain('training/state');
    expect(permitted('ops/registry', 'ir', ALLOWED.ir!)).toBe(false);
    expect(relativeImports(join(SRC, 'entry/ir.ts'))).toContain('ops/index');
  });
});
