// The sign-in passphrase of a headless Inbox run as a service: only a hash is kept, each failure makes
// the next try wait twice as long — also across a restart — and tries at the same time do not skip it.
import { describe, expect, it } from 'vitest';
import { SignInPassphraseService, signInDelayMs } from '../../electron/core/http/index.js';

function memoryFile(): { read(): string | undefined; write(text: string): void; text?: string } {
  const f: { read(): string | undefined; write(text: string): void; text?: string } = {
    read: () => f.text,
    write: (text) => (f.text = text),
  };
  return f;
}

const PASS = 'correct horse battery staple';

describe('SignInPassphraseService', () => {
  it('keeps only a salted hash, and signs in with the passphrase (normalised), not with another', async () => {
    const file = memoryFile();
    let now = 1_000_000;
    const service = new SignInPassphraseService(file, () => now);
    expect(await service.signIn(PASS)).toEqual({ ok: false, reason: 'not_set' });
    await service.set(PASS);
    expect(file.text).not.toContain(PASS);
    expect(JSON.parse(file.text!)).toMatchObject({ v: 1, N: 32768, failures: 0 });
    expect(await service.signIn(PASS)).toEqual({ ok: true });
    // The same letters composed differently (what another keyboard may send) are the same passphrase.
    await service.set('Passphrase with é accent');
    expect(await service.signIn('Passphrase with e\u0301 accent')).toEqual({ ok: true });
    expect(await service.signIn(PASS)).toEqual({ ok: false, reason: 'wrong', retryAfterMs: 1000 });
    now += 1000;
    expect(await service.signIn('Passphrase with é accent')).toEqual({ ok: true });
    expect(service.failures()).toBe(0);
  });

  it('refuses a passphrase shorter than 12 characters', async () => {
    const service = new SignInPassphraseService(memoryFile(), () => 0);
    await expect(service.set('short pass')).rejects.toThrow(/12 to 1024 characters/);
    expect(service.isSet()).toBe(false);
  });

  it('makes each try after a failure wait twice as long, unchecked until then, and a restart keeps the count', async () => {
    const file = memoryFile();
    let now = 5_000_000;
    const service = new SignInPassphraseService(file, () => now);
    await service.set(PASS);
    expect(await service.signIn('guess 1')).toEqual({ ok: false, reason: 'wrong', retryAfterMs: 1000 });
    // Too soon: refused without being checked, even with the right passphrase.
    expect(await service.signIn(PASS)).toMatchObject({ ok: false, reason: 'wait' });
    now += 1000;
    expect(await service.signIn('guess 2')).toEqual({ ok: false, reason: 'wrong', retryAfterMs: 2000 });
    now += 1999;
    expect(await service.signIn(PASS)).toMatchObject({ ok: false, reason: 'wait' });
    now += 1;
    expect(await service.signIn('guess 3')).toEqual({ ok: false, reason: 'wrong', retryAfterMs: 4000 });
    // A new process (serve restarted, or killed to reset the count) reads the same file.
    const restarted = new SignInPassphraseService(file, () => now);
    expect(await restarted.signIn(PASS)).toMatchObject({ ok: false, reason: 'wait', retryAfterMs: 4000 });
    now += 4000;
    expect(await restarted.signIn(PASS)).toEqual({ ok: true });
    expect(restarted.failures()).toBe(0);
  });

  it('checks one try at a time: a second sent while the first is checked waits', async () => {
    const service = new SignInPassphraseService(memoryFile(), () => 0);
    await service.set(PASS);
    const [a, b] = await Promise.all([service.signIn('guess a'), service.signIn('guess b')]);
    expect([a, b].map((o) => (o.ok ? 'ok' : o.reason)).sort()).toEqual(['wait', 'wrong']);
  });

  it('grows the delay to 15 minutes at most', () => {
    expect([0, 1, 2, 3, 10, 11, 100].map(signInDelayMs)).toEqual([0, 1000, 2000, 4000, 512_000, 900_000, 900_000]);
  });
});
