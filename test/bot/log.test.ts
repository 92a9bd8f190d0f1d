import { describe, expect, it } from 'vitest';
import { createLog } from '../../src/bot/log.js';

describe('the run log', () => {
  it('writes lines at its level and above', () => {
    const lines: string[] = [];
    const log = createLog('warn', (line) => lines.push(line));
    log.info('quiet');
    log.warn('loud');
    expect(lines).toEqual(['[warn] loud\n']);
  });

  it('never shows a secret, as written or as a URL carries it', () => {
    const lines: string[] = [];
    const token = '123456:AAE-secret_Token';
    const log = createLog('debug', (line) => lines.push(line), [token]);
    log.error(`request to https://api.telegram.org/bot${token}/getMe failed`);
    log.error(`request to https://proxy.example/?t=${encodeURIComponent(token)} failed`);
    expect(lines.join('')).not.toContain('AAE-secret_Token');
    expect(lines[0]).toBe(
      '[error] request to https://api.telegram.org/bot[redacted]/getMe failed\n',
    );
  });
});
