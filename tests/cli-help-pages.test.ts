import { describe, expect, it } from 'vitest';
import { helpPageKey, helpWidth, storedHelpPage, storedPagesApply } from '../packages/cli/src/help-pages.js';

const PAGES = { '--help': 'top\n', '--version': '0.1.0\n', 'train --help': 'train\n' };
const C = { LANG: 'C' };

describe('which command lines the stored help pages answer (the bin fast path)', () => {
  it('--help, -h, --version and <word> --help / -h have a key; anything more or else has none', () => {
    expect(helpPageKey(['--help'])).toBe('--help');
    expect(helpPageKey(['-h'])).toBe('--help');
    expect(helpPageKey(['--version'])).toBe('--version');
    expect(helpPageKey(['train', '-h'])).toBe('train --help');
    for (const args of [
      [],
      ['train'],
      ['--help', '--verbose'],
      ['--verbose', '--help'],
      ['train', '--help', 'x'],
      ['-v', '--help'],
      ['--version', '--help'],
    ]) {
      expect(helpPageKey(args)).toBeUndefined();
    }
  });

  it("applies to English (yargs' first set variable of LC_ALL, LC_MESSAGES, LANG, LANGUAGE) at full width only", () => {
    for (const env of [
      {},
      C,
      { LANG: 'POSIX' },
      { LANG: 'en_GB.UTF-8' },
      { LC_ALL: 'en_US.UTF-8', LANG: 'de_DE' },
      { LANG: '', LANGUAGE: 'en' },
    ]) {
      expect(storedPagesApply(env, undefined)).toBe(true);
    }
    for (const env of [
      { LANG: 'de_DE.UTF-8' },
      { LC_ALL: 'fr_FR', LANG: 'en_US' },
      { LC_MESSAGES: 'pt_BR.UTF-8', LANG: 'C' },
      { LANGUAGE: 'de' },
    ]) {
      expect(storedPagesApply(env, undefined)).toBe(false);
    }
    expect([storedPagesApply(C, 110), storedPagesApply(C, 300), storedPagesApply(C, 109), storedPagesApply(C, 0)]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect([helpWidth(undefined), helpWidth(80), helpWidth(200)]).toEqual([110, 80, 110]);
  });

  it('returns the page for its key, and nothing for a command without a page', () => {
    expect(storedHelpPage(() => PAGES, ['-h'], C, undefined)).toBe('top\n');
    expect(storedHelpPage(() => PAGES, ['train', '--help'], C, undefined)).toBe('train\n');
    expect(storedHelpPage(() => PAGES, ['predict', '--help'], C, undefined)).toBeUndefined();
    expect(storedHelpPage(() => PAGES, ['constructor', '--help'], C, undefined)).toBeUndefined();
    expect(storedHelpPage(() => PAGES, ['--help'], { LANG: 'de_DE' }, undefined)).toBeUndefined();
    expect(storedHelpPage(() => PAGES, ['--help'], C, 80)).toBeUndefined();
    expect(storedHelpPage(() => undefined, ['--help'], C, undefined)).toBeUndefined();
  });

  it('reads the pages file only where a stored page can apply', () => {
    let reads = 0;
    const counted = () => {
      reads += 1;
      return PAGES;
    };
    storedHelpPage(counted, ['train', 'data.csv'], C, undefined);
    storedHelpPage(counted, ['--help'], { LANG: 'de_DE' }, undefined);
    storedHelpPage(counted, ['--help'], C, 80);
    expect(reads).toBe(0);
    expect(storedHelpPage(counted, ['--help'], C, undefined)).toBe('top\n');
    expect(reads).toBe(1);
  });
});
