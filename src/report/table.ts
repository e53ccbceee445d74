/**
 * A result as the table a command prints (its view in text). Apart from render.ts so that a command's
 * table output loads the text serializer only, not the Markdown and HTML ones (and, through the
 * charts, the HDR histogram decoder): see docs/architecture.md.
 */
import type { Result } from '../model/results.js';
import { renderText } from './text.js';
import { viewOf } from './views.js';

/** The text table of any result. Pure. */
export function renderTable(result: Result): string {
  return renderText(viewOf(result));
}
