// Help pages rendered at build time. `onnx-mlp --help` spends most of its time loading yargs and
// rendering (Node itself ~0.08 s, yargs and its string-width ~0.07 s more), yet for a given
// version, locale and width its output never changes: `npm run build` runs the bundled CLI once per
// page (scripts/bundle-cli.mjs) and stores what yargs printed in bundle/help-pages.json; the bin
// prints a stored page without loading yargs. Every other command line, locale or width goes to
// yargs as before, and tests hold each stored page to yargs' live output byte for byte.
import { readFileSync } from 'node:fs';
import { exitQuietlyOnClosedPipe } from './io/closed-pipe.js';

/** The widest the help is wrapped to; narrower terminals wrap at their own width. */
export const HELP_WIDTH = 110;

/** yargs' wrap width for a stdout of `columns` (undefined when it is not a terminal). */
export function helpWidth(columns: number | undefined): number {
  return Math.min(HELP_WIDTH, columns || HELP_WIDTH);
}

/** The stored pages, by the command line that prints each (`--help`, `train --help`, `--version`). */
export type HelpPages = Readonly<Record<string, string>>;

/** The command lines whose output the build stores, for the commands `commands` (by name). */
export function helpPageCommandLines(commands: readonly string[]): string[][] {
  return [['--help'], ['--version'], ...commands.map((c) => [c, '--help'])];
}

/** The key of a stored page for `args`, or undefined when `args` is not a plain help or version request. */
export function helpPageKey(args: readonly string[]): string | undefined {
  const asHelp = (a: string | undefined) => (a === '-h' ? '--help' : a);
  if (args.length === 1 && (asHelp(args[0]) === '--help' || args[0] === '--version')) return asHelp(args[0]);
  if (args.length === 2 && asHelp(args[1]) === '--help' && !args[0]!.startsWith('-')) return `${args[0]} --help`;
  return undefined;
}

/**
 * Whether yargs would print the stored (English, full-width) text for this environment: it takes
 * its locale from LC_ALL, LC_MESSAGES, LANG or LANGUAGE (the first that is set, without its
 * `.UTF-8`), and English is its text for `en*`, `C` and `POSIX`.
 */
export function storedPagesApply(env: NodeJS.ProcessEnv, columns: number | undefined): boolean {
  const locale = (env.LC_ALL || env.LC_MESSAGES || env.LANG || env.LANGUAGE || 'en_US').replace(/[.:].*/, '');
  return /^(en([_-].*)?|C|POSIX)$/.test(locale) && helpWidth(columns) === HELP_WIDTH;
}

/**
 * The stored output for `args` in this environment, or undefined where yargs must run. `readPages`
 * is called only when a stored page can apply, so every other command line reads no file.
 */
export function storedHelpPage(
  readPages: () => HelpPages | undefined,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  columns: number | undefined,
): string | undefined {
  const key = helpPageKey(args);
  if (key === undefined || !storedPagesApply(env, columns)) return undefined;
  const pages = readPages();
  return pages && Object.hasOwn(pages, key) ? pages[key] : undefined;
}

/** The pages the build stored beside this module, or undefined without them (a build without the bundle step). */
function readStoredPages(): HelpPages | undefined {
  try {
    return JSON.parse(readFileSync(new URL(HELP_PAGES_FILE, import.meta.url), 'utf8')) as HelpPages;
  } catch {
    return undefined;
  }
}

/** The file the build writes beside the bundle's entry. */
export const HELP_PAGES_FILE = 'help-pages.json';

/**
 * Prints this process's stored page, if there is one, and says whether it did (the bin's fast path).
 * No pages file (a build without the bundle step) means no fast path, not an error.
 */
export function printStoredHelpPage(): boolean {
  const page = storedHelpPage(readStoredPages, process.argv.slice(2), process.env, process.stdout.columns);
  if (page === undefined) return false;
  exitQuietlyOnClosedPipe();
  process.stdout.write(page);
  return true;
}
