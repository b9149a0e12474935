// How an error message shows a value that came from a user's file or command line.

/** Longest value, in characters, an error message echoes before cutting it. */
export const ECHO_LIMIT = 80;

/**
 * C0/C1 controls, DEL, the replacement character (bytes that were not UTF-8), lone surrogates, and
 * the bidirectional overrides that can make a terminal show text in another order than it has.
 */
function isUnsafe(codePoint: number): boolean {
  return (
    codePoint < 0x20 ||
    (codePoint >= 0x7f && codePoint <= 0x9f) ||
    codePoint === 0xfffd ||
    (codePoint >= 0x202a && codePoint <= 0x202e) ||
    (codePoint >= 0x2066 && codePoint <= 0x2069) ||
    (codePoint >= 0xd800 && codePoint <= 0xdfff) // only a lone surrogate is iterated as one
  );
}

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** `ch` as a visible escape, as JSON writes it: \n, \t or \uNNNN. */
function escapeChar(ch: string): string {
  return NAMED[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** `text` with every control, non-UTF-8 and direction-changing character escaped: always one printable line. */
export function escapeUnsafe(text: string): string {
  let out = '';
  for (const ch of text) out += isUnsafe(ch.codePointAt(0)!) ? escapeChar(ch) : ch;
  return out;
}

/**
 * `value` as an error message echoes it: unsafe characters escaped as JSON escapes them (a newline
 * shows as `\n`, a control byte as `\u0001`) and the result cut to `limit` characters with "…" and the original
 * length, so a message stays one readable line whatever the file held.
 */
export function echo(value: string, limit = ECHO_LIMIT): string {
  const escaped = escapeUnsafe(value);
  if (escaped.length <= limit) return escaped;
  // Never cut inside an escape or a surrogate pair.
  let cut = limit - 1;
  const escapeStart = escaped.lastIndexOf('\\', cut);
  if (escapeStart > cut - 6 && escapeStart >= 0) cut = escapeStart;
  if (/[\ud800-\udbff]/.test(escaped[cut - 1] ?? '')) cut--;
  return `${escaped.slice(0, cut)}… (${value.length} characters)`;
}

/** `value` as echo() shows it, in double quotes. */
export function quoted(value: string, limit = ECHO_LIMIT): string {
  return `"${echo(value, limit).replace(/"/g, '\\"')}"`;
}

/**
 * A whole message made safe to print as one line. A double-quoted value in it (core's messages quote
 * values, some with JSON.stringify, some as they are) that is long or holds unsafe characters is
 * shown as quoted() shows it: escaped and cut to the echo limit. Line breaks outside quotes (a
 * wrapped message, ONNX Runtime's multi-line errors) are joined with a space, and any unsafe
 * character left is escaped. main.ts passes every error message through this, so no file content
 * reaches the terminal raw, whichever module worded the message.
 */
export function oneLineMessage(message: string): string {
  const values = message.replace(/"((?:[^"\\]|\\.)*)"/g, (whole, inner: string) => {
    if (CUT_MARK.test(inner)) return whole; // already shown by echo()
    const value = hasUnsafe(inner) ? inner : (decodeJsonString(inner) ?? inner);
    return value.length > ECHO_LIMIT || hasUnsafe(value) ? quoted(value) : whole;
  });
  return escapeUnsafe(values.replace(/\s*\n\s*/g, ' '));
}

const CUT_MARK = /… \(\d+ characters\)$/;

function hasUnsafe(text: string): boolean {
  return escapeUnsafe(text) !== text;
}

function decodeJsonString(inner: string): string | null {
  try {
    return JSON.parse(`"${inner}"`) as string;
  } catch {
    return null;
  }
}
