import { describe, expect, it } from 'vitest';
import { retryWhileBusy } from '../../registry-server/src/db/open';

/** Start-up against a database another process is opening: SQLITE_BUSY raised without the busy handler is retried. */
const busy = (code: string) => Object.assign(new Error('database is locked'), { code });

describe('retryWhileBusy', () => {
  it('retries SQLITE_BUSY and its extended codes until the call succeeds', () => {
    let calls = 0;
    const result = retryWhileBusy(() => {
      calls++;
      if (calls === 1) throw busy('SQLITE_BUSY');
      if (calls === 2) throw busy('SQLITE_BUSY_RECOVERY');
      return 'wal';
    });
    expect(result).toBe('wal');
    expect(calls).toBe(3);
  });

  it('does not retry other errors', () => {
    let calls = 0;
    expect(() =>
      retryWhileBusy(() => {
        calls++;
        throw busy('SQLITE_CORRUPT');
      }),
    ).toThrow('database is locked');
    expect(calls).toBe(1);
  });
});
