import { Parser } from '#csv-parse';
import type { CsvDelimiter } from './table.js';

/**
 * csv-parse driven from an async loop: text goes in with `write` (which waits while the parser asks for
 * a drain), parsed records gather in `records` until the reader takes them, and a parse error is kept
 * in `failure` for the reader to place (the parser's own error event carries no line we trust).
 */
export class CsvRecordFeed {
  /** Records parsed and not yet taken, each the raw field texts. */
  readonly records: string[][] = [];
  /** The first error the parser reported, if any. */
  failure: unknown;
  private readonly parser: Parser;
  private ended = false;
  private needDrain = false;
  private wake: (() => void) | undefined;

  constructor(delimiter: CsvDelimiter) {
    this.parser = new Parser({
      delimiter,
      record_delimiter: ['\r\n', '\n', '\r'],
      relax_column_count: true,
      relax_quotes: true,
      // Empty lines come through as one empty field and are skipped by the reader, so that every line
      // break is accounted for: line numbers are counted there (csv-parse's own `info` costs 2.5x the parse time).
      skip_empty_lines: false,
      bom: true,
    });
    this.parser.on('data', (r: string[]) => this.records.push(r));
    this.parser.on('error', (e: unknown) => {
      this.failure ??= e;
      this.signal();
    });
    this.parser.on('end', () => {
      this.ended = true;
      this.signal();
    });
    this.parser.on('drain', () => {
      this.needDrain = false;
      this.signal();
    });
  }

  /** Parses `chunk`, waiting for a drain (or an error) when the parser's buffer is full. */
  async write(chunk: string): Promise<void> {
    if (!this.parser.write(chunk)) {
      this.needDrain = true;
      while (this.needDrain && this.failure === undefined) await this.wait();
    }
  }

  /** Ends the input and waits until the parser has flushed its last record (or failed). */
  async end(): Promise<void> {
    this.parser.end();
    while (!this.ended && this.failure === undefined) await this.wait();
  }

  /** Releases the parser, whether or not the input was read to its end. */
  destroy(): void {
    this.parser.destroy?.();
  }

  private signal(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private wait(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wake = resolve;
    });
  }
}
