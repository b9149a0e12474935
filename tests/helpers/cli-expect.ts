import { expect } from 'vitest';
import type { CliResult } from './run-cli.js';

/** Exit `code`, nothing on stdout, exactly one line on stderr matching `pattern`. */
export function expectOneErrorLine(run: CliResult, pattern: RegExp, code = 1): void {
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').filter((l) => l !== '');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.code).toBe(code);
}
