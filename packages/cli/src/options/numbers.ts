import { OptionError } from '../errors.js';
import { quoted } from '../io/echo.js';

/** `value` as an integer in [min, max], or an OptionError naming `option`. */
export function integerOption(option: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`;
    throw new OptionError(option, value, `must be ${range}`);
  }
  return value;
}

/** Layer widths from a comma-separated list ("128,64"); "" or "none" means no hidden layer. */
export function parseWidths(option: string, text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return [];
  return trimmed.split(',').map((part, i) => {
    const width = Number(part.trim());
    if (!/^\s*\d+\s*$/.test(part) || !Number.isSafeInteger(width) || width <= 0) {
      throw new OptionError(option, text, `layer ${i + 1} width ${quoted(part.trim())} is not a positive integer`);
    }
    return width;
  });
}
