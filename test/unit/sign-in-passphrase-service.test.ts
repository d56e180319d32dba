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

  it('does not let an older sealed copy put back while it runs lower the count, reset the wait or bring back an old passphrase', async () => {
    const file = memoryFile();
    let now = 7_000_000;
    const tampered: string[] = [];
    const service = new SignInPassphraseService(file, () => now, { onTamper: (reason) => tampered.push(reason) });
    await service.set(PASS);
    const clean = file.text!;
    expect(await service.signIn('guess 1')).toMatchObject({ reason: 'wrong' });
    now += 1000;
    expect(await service.signIn('guess 2')).toMatchObject({ reason: 'wrong', retryAfterMs: 2000 });
    // The agent puts back the copy it saved before guessing (its seal verifies: the core wrote it).
    file.text = clean;
    expect(await service.signIn('guess 3')).toMatchObject({ ok: false, reason: 'wait' });
    now += 2000;
    expect(await service.signIn('guess 3')).toEqual({ ok: false, reason: 'wrong', retryAfterMs: 4000 });
    expect(service.failures()).toBe(3);
    expect(JSON.parse(file.text!)).toMatchObject({ failures: 3 });
    // An older passphrase (set before, its sealed copy kept) is refused, unchecked, and reported once.
    const oldFile = memoryFile();
    await new SignInPassphraseService(oldFile, () => now).set('an old passphrase the agent knows');
    file.text = oldFile.text;
    now += 4000;
    expect(await service.signIn('an old passphrase the agent knows')).toEqual({ ok: false, reason: 'unavailable', problem: 'tampered' });
    expect(await service.signIn('an old passphrase the agent knows')).toEqual({ ok: false, reason: 'unavailable', problem: 'tampered' });
    expect(tampered).toHaveLength(1);
    expect(tampered[0]).toMatch(/another passphrase/);
    // Setting it again from a signed-in window is the way back.
    await service.set(PASS);
    expect(await service.signIn(PASS)).toEqual({ ok: true });
  });

  it('counts a failure it cannot write, and refuses every try, unchecked, until the count is saved', async () => {
    const file = memoryFile();
    let now = 9_000_000;
    const errors: unknown[] = [];
    const service = new SignInPassphraseService(file, () => now, { onError: (e) => errors.push(e) });
    await service.set(PASS);
    const write = file.write;
    file.write = () => {
      throw Object.assign(new Error('EROFS: read-only file system'), { code: 'EROFS' });
    };
    expect(await service.signIn('guess 1')).toEqual({ ok: false, reason: 'wrong', retryAfterMs: 1000 });
    expect(service.failures()).toBe(1);
    expect(await service.signIn(PASS)).toMatchObject({ ok: false, reason: 'wait' });
    now += 1000;
    // Even the right passphrase: a refusal the file does not count must not become an acceptance.
    expect(await service.signIn(PASS)).toEqual({ ok: false, reason: 'unavailable', problem: 'unsaved' });
    expect(await service.signIn('guess 2')).toEqual({ ok: false, reason: 'unavailable', problem: 'unsaved' });
    expect(service.failures()).toBe(1);
    expect(errors).toHaveLength(1);
    // Writable again: the count is saved first, then the try is checked.
    file.write = write;
    expect(await service.signIn('guess 2')).toEqual({ ok: false, reason: 'wrong', retryAfterMs: 2000 });
    expect(JSON.parse(file.text!)).toMatchObject({ failures: 2 });
  });

  it('grows the delay to 15 minutes at most', () => {
    expect([0, 1, 2, 3, 10, 11, 100].map(signInDelayMs)).toEqual([0, 1000, 2000, 4000, 512_000, 900_000, 900_000]);
  });
});
