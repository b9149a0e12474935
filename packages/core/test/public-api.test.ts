import { execFile } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const CORE = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = promisify(execFile);

/** The root's runtime exports: what a user calls, constructs or catches. Adding one is an API decision. */
const ROOT_VALUES = [
  'ACTIVATIONS',
  'CheckpointError',
  'DEVICES',
  'DataError',
  'DataFormatError',
  'DeviceUnavailableError',
  'INITIALIZERS',
  'InvalidArgumentError',
  'ModelDecodeError',
  'OPTIMIZERS',
  'OnnxMlpError',
  'SCALINGS',
  'SCHEDULES',
  'TASKS',
  'Trainer',
  'TrainingDivergedError',
  'buildInferenceModel',
  'buildTrainingArtifacts',
  'checkIntegrity',
  'chooseDevice',
  'classificationReport',
  'decodeCheckpoint',
  'decodeModel',
  'encodeCheckpoint',
  'encodeModel',
  'encodeRecord',
  'featureWidth',
  'fitPreprocessing',
  'initialState',
  'mlpSpec',
  'optimizerConfig',
  'parseIdx',
  'parseNpy',
  'parseSchedule',
  'readCsv',
  'readJson',
  'readJsonLines',
  'regressionReport',
  'sealModel',
  'stratifiedSplit',
  'trainTestSplit',
];

/** The root's type-only exports: the parameters and results of the functions above. */
const ROOT_TYPES = [
  'Activation',
  'BatchEvent',
  'Checkpoint',
  'ClassificationReport',
  'CsvOptions',
  'Dataset',
  'Device',
  'DeviceChoice',
  'EarlyStopping',
  'EpochRecord',
  'ErrorFields',
  'FitOptions',
  'InferenceInfo',
  'IntegrityCheck',
  'JsonOptions',
  'LearningRateSchedule',
  'MlpSpec',
  'Model',
  'ModelDigests',
  'OnnxMlpErrorOptions',
  'OptimizerConfig',
  'OrtRuntime',
  'PreprocessOptions',
  'Preprocessing',
  'RawRecord',
  'RegressionReport',
  'Scaling',
  'ScheduleOptions',
  'Table',
  'Task',
  'TrainStepOptions',
  'TrainerOptions',
  'TrainingArtifacts',
  'TrainingState',
  'WeightInit',
];

/** The layers' entry points (src/entry/<name>.ts), lowest first, then the one that is not API. */
const SUBPATHS = [
  'ir',
  'ops',
  'autodiff',
  'model',
  'losses',
  'optimizers',
  'privacy',
  'artifacts',
  'training',
  'data',
  'preprocess',
  'metrics',
  'tabular',
  'inspect',
  'explain',
  'internal',
];

/** Every name (values and types) a source entry point exports, as the compiler sees it. */
function compiledExports(files: readonly string[]): Map<string, string[]> {
  const program = ts.createProgram([...files], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  return new Map(
    files.map((f) => {
      const module = checker.getSymbolAtLocation(program.getSourceFile(f)!)!;
      return [
        f,
        checker
          .getExportsOfModule(module)
          .map((s) => s.name)
          .sort(),
      ];
    }),
  );
}

const entryFile = (sub: string) => join(CORE, 'src/entry', `${sub}.ts`);
const rootFile = join(CORE, 'src/index.ts');
const compiled = compiledExports([rootFile, ...SUBPATHS.map(entryFile)]);

describe('the root entry point', () => {
  it('exports exactly the public runtime names', async () => {
    const root = await import('@onnx-mlp/core');
    expect(Object.keys(root).sort()).toEqual([...ROOT_VALUES].sort());
  });

  it('exports exactly the public names, types included', () => {
    expect(compiled.get(rootFile)).toEqual([...ROOT_VALUES, ...ROOT_TYPES].sort());
  });
});

describe('subpath entry points', () => {
  it('package.json exports the root and one subpath per entry file, each with its types', () => {
    const pkg = JSON.parse(readFileSync(join(CORE, 'package.json'), 'utf8')) as {
      exports: Record<string, { types: string; import: string }>;
    };
    expect(
      readdirSync(join(CORE, 'src/entry'))
        .map((f) => f.replace(/\.ts$/, ''))
        .sort(),
    ).toEqual([...SUBPATHS].sort());
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', import: './dist/index.js' });
    expect(Object.keys(pkg.exports)).toEqual(['.', ...SUBPATHS.map((s) => `./${s}`)]);
    for (const sub of SUBPATHS) {
      expect(pkg.exports[`./${sub}`]).toEqual({ types: `./dist/entry/${sub}.d.ts`, import: `./dist/entry/${sub}.js` });
    }
  });

  it.each(SUBPATHS)('@onnx-mlp/core/%s resolves to its source entry and exports its runtime names', async (sub) => {
    const module = (await import(/* @vite-ignore */ `@onnx-mlp/core/${sub}`)) as Record<string, unknown>;
    const names = Object.keys(module);
    expect(names.length).toBeGreaterThan(0);
    expect(compiled.get(entryFile(sub))).toEqual(expect.arrayContaining(names));
  });

  it('the internal entry point says it is not API', () => {
    expect(readFileSync(entryFile('internal'), 'utf8')).toMatch(/^\/\/ @onnx-mlp\/core\/internal: NOT API\..*may change/s);
  });

  it('loading only @onnx-mlp/core/ir registers the ops its GraphBuilder types nodes with', async () => {
    // A fresh process, so no other import has loaded the ops: only the entry point itself can.
    const script = `import('@onnx-mlp/core/ir').then(({ GraphBuilder, DataType }) => {
      const b = new GraphBuilder('g'); b.output(b.op('Relu', [b.input('x', DataType.FLOAT, [2])]), 'y');
      console.log(JSON.stringify(b.build().nodes.map((n) => n.opType)));
    })`;
    const built = join(CORE, 'dist/entry/ir.js');
    expect(existsSync(built), 'run `npm run build` first').toBe(true);
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: CORE });
    expect(JSON.parse(stdout)[0]).toBe('Relu');
  });

  it('Node resolves every built subpath through package.json, with the names of its source', async () => {
    const script = `const subs = ${JSON.stringify(SUBPATHS)};
      Promise.all(subs.map((s) => import('@onnx-mlp/core/' + s).then((m) => [s, Object.keys(m).sort()])))
        .then((all) => console.log(JSON.stringify(Object.fromEntries(all))));`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: CORE });
    const built = JSON.parse(stdout) as Record<string, string[]>;
    for (const sub of SUBPATHS) {
      const source = (await import(/* @vite-ignore */ `@onnx-mlp/core/${sub}`)) as Record<string, unknown>;
      expect(built[sub], `${sub} (dist is built by 'npm run build')`).toEqual(Object.keys(source).sort());
    }
  });
});

/**
 * Where each name the web package imported from the root now lives: user-facing names stayed in the
 * root, the rest moved to the layer they belong to or, if not API, to /internal.
 */
const WEB_NAMES: Record<string, readonly string[]> = {
  '@onnx-mlp/core': [
    'Trainer',
    'buildTrainingArtifacts',
    'buildInferenceModel',
    'initialState',
    'encodeModel',
    'decodeModel',
    'encodeCheckpoint',
    'decodeCheckpoint',
    'encodeRecord',
    'fitPreprocessing',
    'readCsv',
    'readJson',
    'readJsonLines',
    'mlpSpec',
    'optimizerConfig',
    'parseSchedule',
    'stratifiedSplit',
    'trainTestSplit',
    'classificationReport',
    'regressionReport',
    'DataError',
    'DataFormatError',
    'InvalidArgumentError',
    'OnnxMlpError',
    'featureWidth',
    'ACTIVATIONS',
    'OPTIMIZERS',
    'SCHEDULES',
    'SCALINGS',
    'INITIALIZERS',
    'DEVICES',
    'Preprocessing',
    'RawRecord',
    'Table',
    'Model',
    'TrainingState',
    'EpochRecord',
    'OrtRuntime',
  ],
  '@onnx-mlp/core/data': ['collectTable'],
  '@onnx-mlp/core/training': ['holdOut'],
  '@onnx-mlp/core/model': ['Rng'],
  '@onnx-mlp/core/ir': ['Graph'],
  '@onnx-mlp/core/internal': ['META'],
};

it('every name the web package uses is reachable from the entry point it moved to', () => {
  for (const [specifier, names] of Object.entries(WEB_NAMES)) {
    const file = specifier === '@onnx-mlp/core' ? rootFile : entryFile(specifier.slice('@onnx-mlp/core/'.length));
    expect(compiled.get(file), specifier).toEqual(expect.arrayContaining([...names]));
  }
});
