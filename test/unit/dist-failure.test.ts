// How `npm run dist` reads a failed electron-builder run: the fixture is electron-builder 26's real
// output on a machine that cannot reach github.com (captured here, paths neutralised).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

type Failure = { kind: 'electron-download' | 'tool-download'; step: string; line: string } | undefined;
// A plain .mjs script (node runs it, nothing compiles it), so typed here at its one use.
const { downloadFailure: read, downloadFailureMessage: say } = (await import(new URL('../../scripts/dist-failure.mjs', import.meta.url).href)) as {
  downloadFailure(output: string): Failure;
  downloadFailureMessage(failure: NonNullable<Failure>, electronVersion: string): string;
};
const offline = readFileSync(new URL('../fixtures/electron-builder/offline-linux.txt', import.meta.url), 'utf8');

describe('npm run dist failure', () => {
  it('an unreachable download in the packaging step is the Electron binary', () => {
    const failure = read(offline);
    expect(failure).toEqual({
      kind: 'electron-download',
      step: expect.stringMatching(/^packaging\s+platform=linux/),
      line: 'getaddrinfo ENOTFOUND github.com',
    });
    const message = say(failure!, '45.5.0');
    expect(message).toContain('the Electron 45.5.0 binary for this platform could not be downloaded (getaddrinfo ENOTFOUND github.com)');
    expect(message).toContain('only the installers are missing');
  });

  it('an unreachable download in a later step is one of electron-builder\'s tools', () => {
    const output = [
      '  • packaging       platform=linux arch=x64 electron=45.5.0 appOutDir=release/linux-unpacked',
      '  • building        target=rpm arch=x64 file=release/cowork-companion-0.1.0.x86_64.rpm',
      '  ⨯ Get "https://github.com/electron-userland/electron-builder-binaries/releases/download/fpm-1.9.3-2.3.1-linux-x86_64/fpm.7z": dial tcp: lookup github.com: no such host',
    ].join('\n');
    expect(read(output)).toMatchObject({ kind: 'tool-download', step: expect.stringMatching(/^building\s+target=rpm/) });
  });

  it('any other failure is left to electron-builder\'s own words', () => {
    const output = [
      '  • packaging       platform=linux arch=x64 electron=45.5.0 appOutDir=release/linux-unpacked',
      '  ⨯ Application entry file "dist/electron/main/main.js" in the "release/linux-unpacked/resources/app.asar" does not exist. Seems like a wrong configuration.',
    ].join('\n');
    expect(read(output)).toBeUndefined();
    expect(read('')).toBeUndefined();
  });
});
