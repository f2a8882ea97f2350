import { describe, expect, it } from 'vitest';
import { controlsEscaped, cutText, fileNameStem, hasUnsafeChars, htmlText, jsonText, markdownCode, markdownText, plainText, terminalText, xmlText } from './untrusted-text';

const TITLE = '\x1b]0;pwned\x07';
const RED = '\x1b[31m';
const HOSTILE = `a${TITLE}b${RED}c\x00d\x7fe\x9bf\u202eg`;
/** Every code point a terminal may act on: C0 but tab and newline, DEL, C1. */
// eslint-disable-next-line no-control-regex -- the test looks for control characters
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe('terminalText', () => {
  it('shows escape sequences, NUL, DEL, C1 controls and bidi overrides escaped', () => {
    expect(terminalText(HOSTILE)).toBe('a\\x1b]0;pwned\\x07b\\x1b[31mc\\x00d\\x7fe\\x9bf\\u202eg');
    expect(terminalText(HOSTILE)).not.toMatch(FORBIDDEN);
  });

  it('keeps the newlines and tabs of the text and escapes carriage returns', () => {
    expect(terminalText('line 1\n\tline 2\r\nline 3')).toBe('line 1\n\tline 2\\r\nline 3');
  });

  it('cuts each long line with a note of what was left out', () => {
    const out = terminalText(`short\n${'x'.repeat(12_400)}\nend`, 55);
    expect(out).toBe(`short\n${'x'.repeat(55)}… (12 345 more characters)\nend`);
  });

  it('escapes every forbidden code point', () => {
    for (let c = 0; c <= 0xa0; c++) {
      const s = terminalText(`<${String.fromCharCode(c)}>`);
      expect(FORBIDDEN.test(s), `U+${c.toString(16)}`).toBe(false);
      expect(hasUnsafeChars(String.fromCharCode(c))).toBe(FORBIDDEN.test(String.fromCharCode(c)));
    }
  });
});

describe('plainText', () => {
  it('keeps a value on one line and cuts it at the limit', () => {
    expect(plainText('a\nb\tc')).toBe('a\\nb\\tc');
    expect(plainText('y'.repeat(1000), 10)).toBe(`${'y'.repeat(10)}… (990 more characters)`);
    expect(plainText('ok')).toBe('ok');
  });

  it('never splits a surrogate pair', () => {
    expect(cutText('ab😀cd', 3)).toBe('ab… (4 more characters)');
  });
});

describe('jsonText', () => {
  it('is valid JSON with the content unchanged and no raw control character', () => {
    const value = { [HOSTILE]: [HOSTILE, 1, null], line: '\u2028' };
    const text = jsonText(value, 2);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).not.toMatch(FORBIDDEN);
    expect(text).not.toContain('\u202e');
    expect(text).toContain('\\u009b');
  });
});

describe('htmlText and xmlText', () => {
  it('escapes markup and shows controls', () => {
    expect(htmlText(`<img src=x onerror="a('b')">&${RED}`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;\\x1b[31m');
    expect(xmlText('a\nb\x00<')).toBe('a\\nb\\x00&lt;');
    expect(htmlText('z'.repeat(50), 10)).toBe(`${'z'.repeat(10)}… (40 more characters)`);
  });
});

describe('controlsEscaped', () => {
  it('escapes controls only, leaving markup and newlines', () => {
    expect(controlsEscaped(`<text>${RED}a</text>\n`)).toBe('<text>\\x1b[31ma</text>\n');
  });
});

describe('markdown', () => {
  it('turns formatting, links, HTML and table pipes into plain characters', () => {
    expect(markdownText('**x** [a](javascript:b) <script> | `c`')).toBe('\\*\\*x\\*\\* \\[a\\]\\(javascript:b\\) \\<script\\> \\| \\`c\\`');
    expect(markdownText(`a\nb${RED}`)).toBe('a\\\\nb\\\\x1b\\[31m');
  });

  it('fences a code span longer than any backtick run inside it', () => {
    expect(markdownCode('in')).toBe('`in`');
    expect(markdownCode('a`b``c')).toBe('```a`b``c```');
    expect(markdownCode('`x')).toBe('`` `x ``');
    expect(markdownCode('a|b\nc')).toBe('`a\\|b\\nc`');
  });
});

describe('fileNameStem', () => {
  it('keeps safe characters only: no separators, traversal, controls or device names', () => {
    expect(fileNameStem('../../etc/passwd')).toBe('etc-passwd');
    expect(fileNameStem('..\\..\\Windows')).toBe('windows');
    expect(fileNameStem(`${TITLE}My Model v2`)).toBe('0-pwned-my-model-v2');
    expect(fileNameStem('..', { fallback: 'variant' })).toBe('variant');
    expect(fileNameStem('CON')).toBe('model');
    expect(fileNameStem('Café Déjà')).toBe('cafe-deja');
    expect(fileNameStem('x'.repeat(100), { max: 5 })).toBe('xxxxx');
  });
});
