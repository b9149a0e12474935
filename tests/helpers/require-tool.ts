import type { TestContext } from 'vitest';

/** A tool a test needs is not usable on this machine; `reason` is the probe's own error. */
export class MissingTool {
  constructor(
    readonly tool: string,
    readonly reason: string,
  ) {}

  /** One line for the skip note: what is missing, why, and what installs it. */
  get note(): string {
    return `${this.tool} is missing: ${this.reason} (\`npm run setup:test\` installs it)`;
  }
}

/** True when env `CI` is set (and not "false"/"0"): a missing tool must then fail the run, not skip. */
export function inCi(env: NodeJS.ProcessEnv = process.env): boolean {
  const ci = env.CI ?? '';
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** A failed probe in its own words: a child process's stderr (its message only echoes the command), else the message. */
export function describeError(error: unknown): string {
  const stderr = (error as { stderr?: unknown } | null)?.stderr;
  const text = typeof stderr === 'string' && stderr.trim() !== '' ? stderr : error instanceof Error ? error.message : String(error);
  return text
    .trim()
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .join(' | ');
}

/**
 * Acquires a tool the tests need (a browser, an interpreter, a GPU adapter) by really using it:
 * `acquire` resolves to the tool (or its version) and throws the real error when the tool is
 * unusable; it never catches that error into a boolean. The machine is provisioned by
 * `npm run setup:test`, never from here. Under CI a missing tool throws (failing the caller, e.g.
 * its `beforeAll`); otherwise it resolves to a MissingTool that the tests skip with.
 */
export async function requireTool<T extends {}>(tool: string, acquire: () => Promise<T>): Promise<T | MissingTool> {
  try {
    return await acquire();
  } catch (error) {
    const missing = new MissingTool(tool, describeError(error));
    if (inCi()) throw new Error(`${missing.note}; CI is set, so this fails instead of skipping`, { cause: error });
    console.warn(`skipping: ${missing.note}`);
    return missing;
  }
}

/** Skips the running test with the missing tool's note; otherwise narrows `tool` to the tool itself. */
export function skipIfMissing<T extends {}>(ctx: TestContext, tool: T | MissingTool | undefined): asserts tool is T {
  if (tool instanceof MissingTool) ctx.skip(tool.note);
  // requireTool never resolves to undefined: undefined means the beforeAll that acquires it failed.
  if (tool === undefined) throw new Error('the tool was never acquired: its beforeAll failed (see above)');
}
