// Text from outside (the portal's names, descriptions and URLs, error messages that quote them,
// scenario files) must not drive the terminal it is printed on. C0 controls but tab and newline,
// DEL and C1 controls are what terminals act on: ESC starts a sequence (clear the screen, set the
// window title, rewrite the clipboard), BEL rings, U+009B is a one-character CSI on terminals that
// take 8-bit controls. Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069)
// reorder what follows them, so the text shown is not the text held ("Trojan Source").
//
// U+200E/U+200F (LRM/RLM) stay: they are marks, not overrides, with no reach past their
// neighbours, and right-to-left names need them to read correctly.
// eslint-disable-next-line no-control-regex -- control characters are exactly what is escaped
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above, with tab and newline
const UNSAFE_IN_LINE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// Inside JSON text these characters only occur in strings, so a \u escape is always valid there.
// JSON.stringify escapes C0 already. U+2028/U+2029 are escaped too: line splitters such as
// Python's str.splitlines() break an NDJSON line at them (and at U+0085, a C1 control).
const UNSAFE_IN_JSON = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/**
 * Outside text for a terminal, lines kept: every other control shown as a visible escape.
 *
 * Escaped, not stripped: the reader sees that the portal sent something odd and can report it
 * exactly, where stripping would show a name the portal never had (and would leave the visible
 * rest of an escape sequence behind anyway).
 */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_IN_TEXT, visibleEscape);
}

/** Outside text for one line of a terminal (a name in a sentence, a table cell): newlines and tabs escaped too. */
export function terminalLine(text: string): string {
  // A newline in a name could print a line that looks like the CLI's own ("VM registered: …").
  return text.replace(UNSAFE_IN_LINE, visibleEscape);
}

/** JSON.stringify whose output has no raw C1, DEL, bidi or line separator characters: a script parses back the exact value. */
export function terminalJson(value: unknown, space?: number): string {
  // JSON escapes are lossless, so machine-read output keeps the portal's text exactly.
  return (JSON.stringify(value, null, space) ?? 'null').replace(UNSAFE_IN_JSON, unicodeEscape);
}

function visibleEscape(char: string): string {
  const code = char.charCodeAt(0);
  return NAMED[char] ?? (code <= 0xff ? `\\x${hex(code, 2)}` : unicodeEscape(char));
}

function unicodeEscape(char: string): string {
  return `\\u${hex(char.charCodeAt(0), 4)}`;
}

function hex(code: number, digits: number): string {
  return code.toString(16).padStart(digits, '0');
}
