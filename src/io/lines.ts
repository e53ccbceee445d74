/**
 * The one line splitter of the trace readers (JSONL traces, txt/csv key traces): synchronous,
 * constant memory. Lines end with LF or CRLF; a last line without a newline counts. A line longer
 * than `maxLineBytes` is reported (`tooLong`) and its bytes are discarded up to the next newline,
 * never buffered whole, so a file without newlines cannot grow memory.
 */
import { ByteWindow, DEFAULT_CHUNK_BYTES, type ByteSource } from './bytes.js';

/** Longest line accepted by default (bytes), newline and trailing CR excluded. */
export const DEFAULT_MAX_LINE_BYTES = 1 << 20;

const NL = 10;
const CR = 13;

/**
 * A line with nothing but whitespace as JavaScript's `trim` sees it: spaces, tabs, a byte-order
 * mark (a BOM-only line, as an editor may leave), no-break and other Unicode spaces. A line that
 * starts with a printable ASCII character is not blank (the common case, decided at once).
 */
export function isBlank(line: string): boolean {
  if (line.length === 0) return true;
  const c = line.charCodeAt(0);
  return !(c > 32 && c < 127) && line.trim() === '';
}

export class LineReader {
  /** 1-based number of the current line (the one last returned or reported too long). */
  line = 0;
  /** The current line was longer than `maxLineBytes`; it is empty (start = end) and was discarded. */
  tooLong = false;
  /** Bounds of the current line in `buf`, without its newline and trailing CR; valid until the next call. */
  start = 0;
  end = 0;
  private readonly win: ByteWindow;
  /** The rest of a too-long line is still to be dropped. */
  private discarding = false;

  /** `chunkBytes`: bytes asked of the source per read; the buffer holds one read plus one longest line. */
  constructor(
    src: ByteSource,
    readonly maxLineBytes = DEFAULT_MAX_LINE_BYTES,
    chunkBytes = DEFAULT_CHUNK_BYTES,
  ) {
    this.win = new ByteWindow(src, maxLineBytes + 2 + Math.max(1, chunkBytes));
  }

  /** The buffer the current line lives in. */
  get buf(): Buffer {
    return this.win.buf;
  }
  /** The byte source (for `bytesRead` / `totalBytes`). */
  get src(): ByteSource {
    return this.win.src;
  }

  /** Move to the next line (bounds in `start`/`end`, or `tooLong`); false at the end of the data. */
  advance(): boolean {
    this.tooLong = false;
    if (this.discarding) this.discard();
    const w = this.win;
    let scan = w.start;
    for (;;) {
      const nl = scan < w.end ? w.buf.indexOf(NL, scan) : -1;
      if (nl !== -1 && nl < w.end) {
        const s = w.start;
        w.start = nl + 1;
        return this.emit(s, nl);
      }
      // No newline yet: the tail may still be a line of the maximum length plus its CR.
      if (w.end - w.start > this.maxLineBytes + 1) return this.overflow();
      if (w.eof) {
        if (w.start >= w.end) return false;
        const s = w.start;
        w.start = w.end;
        return this.emit(s, w.end);
      }
      const scanned = w.end - w.start; // bytes known to hold no newline
      w.refill();
      scan = w.start + scanned;
    }
  }

  /** The next line as a string (utf8, without its newline), '' for a too-long line, null at the end. */
  next(): string | null {
    if (!this.advance()) return null;
    return this.tooLong ? '' : this.win.buf.toString('utf8', this.start, this.end);
  }

  /**
   * The one line loop of the trace readers: move to the next line that is not empty (bounds in
   * `start`/`end`); a line longer than the limit is handed to `onTooLong` (which reports it or
   * throws) and skipped. false at the end of the data. Readers that decode bytes (replay's txt and
   * csv) call it directly; `nextLine` adds the string.
   */
  advanceNonEmpty(onTooLong: () => void): boolean {
    while (this.advance()) {
      if (this.tooLong) onTooLong();
      else if (this.end > this.start) return true;
    }
    return false;
  }

  /**
   * The next line with content, as the JSONL and recorded-traffic readers want it: `advanceNonEmpty`,
   * and a blank line (see `isBlank`) skipped too. null at the end of the data.
   */
  nextLine(onTooLong: () => void): string | null {
    while (this.advanceNonEmpty(onTooLong)) {
      const line = this.win.buf.toString('utf8', this.start, this.end);
      if (!isBlank(line)) return line;
    }
    return null;
  }

  close(): void {
    this.win.close();
  }

  private emit(s: number, e: number): true {
    this.line++;
    if (e > s && this.win.buf[e - 1] === CR) e--;
    if (e - s > this.maxLineBytes) {
      this.tooLong = true;
      e = s;
    }
    this.start = s;
    this.end = e;
    return true;
  }

  /** Report a too-long line; its bytes up to the next newline are dropped by the next `advance()`. */
  private overflow(): true {
    this.tooLong = true;
    this.discarding = true;
    this.line++;
    this.start = this.end = 0;
    this.win.start = this.win.end;
    return true;
  }

  /** Drop the rest of a too-long line, up to and including its newline. */
  private discard(): void {
    const w = this.win;
    for (;;) {
      if (w.start < w.end) {
        const nl = w.buf.indexOf(NL, w.start);
        if (nl !== -1 && nl < w.end) {
          w.start = nl + 1;
          break;
        }
        w.start = w.end;
      }
      if (w.eof) break;
      w.refill();
    }
    this.discarding = false;
  }
}
