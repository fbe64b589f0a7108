// User text (names, paths, flags, a server's message) shown on a terminal: escaped, so no byte of
// it can act as a terminal control sequence (ESC [ ... recolours, moves or retitles), and cut, so
// a 5,000-character argument is not echoed back whole.

// C0/C1 controls, DEL, and the bidi/zero-width marks that could disguise what is shown.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g;

function escapeChar(c: string): string {
  const n = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/** `text` with every control or disguising character written as an escape (\x1b, \u202e). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** Escaped, and cut to `max` characters with how long it really was. */
export function shown(text: string, max = 60): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text;
  return escapeControls(cut);
}

/** A whole message line: escaped, and cut so that one line stays one line of sane length. */
export function messageLine(text: string, max = 1000): string {
  return shown(text, max);
}
