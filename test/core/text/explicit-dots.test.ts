import { describe, expect, it } from 'vitest';
import { withExplicitDots } from '../../../src/core/text/explicit-dots.js';

const ANY = '[^\\n\\r\\u2028\\u2029]';

describe('withExplicitDots writes each `.` as the class of what it matches', () => {
  it('replaces the dots outside classes and escapes only', () => {
    expect(withExplicitDots('^a.b.{1,3}$')).toBe(`^a${ANY}b${ANY}{1,3}$`);
    expect(withExplicitDots('a\\.b')).toBe('a\\.b');
    expect(withExplicitDots('[.!?].')).toBe(`[.!?]${ANY}`);
    expect(withExplicitDots('[^.\\]]+.')).toBe(`[^.\\]]+${ANY}`);
    expect(withExplicitDots('[^]..')).toBe(`[^]${ANY}${ANY}`);
    expect(withExplicitDots('\\p{L}.\\u{1F600}\\\\.')).toBe(`\\p{L}${ANY}\\u{1F600}\\\\${ANY}`);
  });

  // Each source matched with its dots and with them written out, under the flags the
  // boilerplate's line patterns are compiled with.
  const sources = [
    '^The post .{1,300} appeared first on .{1,200}$',
    '^(?:©|\\(c\\)|copyright)\\s?.{0,200}$',
    '^scroll down for (?:video|more).{0,100}$',
    '^a.b$',
    '^.$',
    '^..$',
    '^[^.!?]{1,5}.$',
    '^\\(?(?:photo|foto)s? (?:by|di)\\s.{1,20}\\)?$',
  ];
  const subjects = [
    'The post Council approves bridge appeared first on Daily Herald.',
    'THE POST COUNCIL APPROVES BRIDGE APPEARED FIRST ON DAILY HERALD.',
    'The post 😀 Brücke ſ \u212A appeared first on 𝔇aily',
    'The post split\nacross lines appeared first on Daily Herald.',
    'The post a\u2028b appeared first on c',
    'The post a\u2029b appeared first on c\r',
    '© 2026 Daily Herald',
    'Copyright\u00a0𝒳',
    'Scroll down for video ſ',
    'SCROLL DOWN FOR MORE\r\n',
    'a\u212Ab',
    'aſb',
    'a\nb',
    'a\rb',
    'a😀b',
    'a\ud800b',
    'K',
    '\u212A',
    '😀',
    '\ud83d',
    '\ud83d\ude00\ud83d',
    '\n',
    '\r',
    '\u2028',
    '\u2029',
    '',
    'Photos by Jane Whitfield)',
    'foto di 😀\u212Aſ',
    'abc!😀',
    'abc.\n',
  ];

  it.each(sources)('matches as before: %s', (source) => {
    const before = new RegExp(source, 'iu');
    const after = new RegExp(withExplicitDots(source), 'iu');
    expect(after.source).not.toBe(before.source);
    for (const subject of subjects)
      expect([subject, after.exec(subject)?.[0]]).toEqual([subject, before.exec(subject)?.[0]]);
  });
});
