/**
 * Plain text for a terminal, with no dependency: making untrusted text one line, and word wrap.
 * Apart from the reporters (src/report/format.ts re-exports both) so that a command's help text
 * can wrap without loading the table code a --json run never needs (docs/architecture.md, "Reports:
 * one view per result kind").
 */

/** Control characters (newlines included) become spaces; untrusted text stays on one line. */
export function oneLine(text: unknown): string {
  // eslint-disable-next-line no-control-regex
  return String(text ?? '').replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/** Word-wrap one-line text to `width` columns; continuation lines get `indent`. */
export function wrap(text: string, width = 100, indent = ''): string {
  const out: string[] = [];
  let line = '';
  for (const word of oneLine(text).split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      out.push(line);
      line = indent + word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out.join('\n');
}
