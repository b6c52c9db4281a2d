import { describe, expect, it } from 'vitest';
import { terminalJson, terminalLine, terminalText } from '../../shared/terminal-text.ts';

describe('terminal text', () => {
  it('shows C0 (but tab and newline), DEL, C1 and bidi controls as escapes', () => {
    expect(terminalText('a\u001b[2Jb\u0007c\u0000d\u007fe\u009bf\u0085g\rh')).toBe(
      'a\\x1b[2Jb\\x07c\\x00d\\x7fe\\x9bf\\x85g\\rh',
    );
    expect(terminalText('\u202atxt\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069')).toBe(
      '\\u202atxt\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069',
    );
    expect(terminalText('two\nlines\twith a tab')).toBe('two\nlines\twith a tab');
  });

  it('keeps printable text, right-to-left marks and the escapes’ own backslashes as they are', () => {
    const text = 'Ubuntu 24.04 · Windows 11 ARM · שלום\u200f · مرحبا\u200e · \\x1b';
    expect(terminalText(text)).toBe(text);
    expect(terminalLine(text)).toBe(text);
  });

  it('keeps one-line text on one line', () => {
    expect(terminalLine('name\nVM registered: fake\tcell')).toBe(
      'name\\nVM registered: fake\\tcell',
    );
  });

  it('writes JSON with C1, DEL, bidi and line separators as \\u escapes, parsing back exactly', () => {
    const value = { name: 'a\u009b\u0085\u007f\u2028\u2029\u202e\u2066\u001b\n' };
    const json = terminalJson(value);
    expect(json).toBe('{"name":"a\\u009b\\u0085\\u007f\\u2028\\u2029\\u202e\\u2066\\u001b\\n"}');
    expect(JSON.parse(json)).toEqual(value);
    expect(JSON.parse(terminalJson([value], 2))).toEqual([value]);
  });
});
