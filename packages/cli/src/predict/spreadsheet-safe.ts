/** Text a spreadsheet would run as a formula (or that hides one behind a tab or carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV cell's text made safe to open in a spreadsheet, as OWASP's CSV-injection advice says:
 * text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading single quote,
 * so it shows as text instead of running as a formula. Numbers (`-1`, `+2.5`) are left as they are.
 */
export function spreadsheetSafe(text: string): string {
  if (!FORMULA_START.test(text)) return text;
  return text.trim() !== '' && Number.isFinite(Number(text)) ? text : `'${text}`;
}
