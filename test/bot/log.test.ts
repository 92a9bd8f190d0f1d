import { describe, expect, it } from 'vitest';
import { createLog } from '../../src/bot/log.js';

/** The JSON lines a log wrote. */
function parsed(lines: readonly string[]): { level: string; msg: string; time: string }[] {
  return lines.map((line) => {
    expect(line.endsWith('\n')).toBe(true);
    return JSON.parse(line);
  });
}

describe('the run log', () => {
  it('writes one JSON object per line, at its level and above', () => {
    const lines: string[] = [];
    const log = createLog('warn', (line) => lines.push(line));
    log.info('quiet');
    log.warn('loud');
    const [entry] = parsed(lines);
    expect(lines).toHaveLength(1);
    expect(entry).toMatchObject({ level: 'warn', msg: 'loud' });
    expect(Number.isNaN(Date.parse(entry?.time ?? ''))).toBe(false);
  });

  it('never shows a secret, as written or as a URL carries it', () => {
    const lines: string[] = [];
    const token = '123456:AAE-secret_Token';
    const log = createLog('debug', (line) => lines.push(line), { secrets: [token] });
    log.error(`request to https://api.telegram.org/bot${token}/getMe failed`);
    log.error(`request to https://proxy.example/?t=${encodeURIComponent(token)} failed`);
    expect(lines.join('')).not.toContain('AAE-secret_Token');
    expect(parsed(lines)[0]?.msg).toBe(
      'request to https://api.telegram.org/bot[redacted]/getMe failed',
    );
  });

  it('writes readable lines for a terminal', () => {
    const lines: string[] = [];
    const log = createLog('info', (line) => lines.push(line), { pretty: true });
    log.warn('feed Wire paused');
    expect(lines.join('')).toMatch(/WARN.*feed Wire paused/);
    expect(() => JSON.parse(lines[0] ?? '')).toThrow();
  });
});
