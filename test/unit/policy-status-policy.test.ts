// What the person is told about the IT policy comes from the state the core decides with: a real
// policy service reading real files, and the status view and stderr lines derived from its state.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManagedPolicyService, policyChangedEvent, policyReportLines, policyStatusView } from '../../electron/core/policy/index.js';

const trusted = (): undefined => undefined;
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function policyFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cc-policy-status-'));
  dirs.push(dir);
  const file = join(dir, 'policy.json');
  writeFileSync(file, text);
  return file;
}

/** Rewrites the file with a new mtime, as MDM does, so the service's stat notices. */
function rewrite(file: string, text: string, second: number): void {
  writeFileSync(file, text);
  utimesSync(file, second, second);
}

const T0 = Date.parse('2026-12-02T09:00:00.000Z');

describe('policy status', () => {
  it('a valid file: its policy is in force, since it was read', () => {
    const file = policyFile('{ "stormPerMinute": 100 }');
    const service = new ManagedPolicyService(file, true, trusted, () => T0);
    expect(service.state.policy.stormPerMinute).toBe(100);
    expect(policyStatusView(service.state)).toEqual({ state: 'ok', file, problems: [], behaviour: 'policy', since: '2026-12-02T09:00:00.000Z', sources: [{ kind: 'file', where: file }], setKeys: ['stormPerMinute'] });
    expect(policyReportLines(policyStatusView(service.state))).toEqual([`cowork-companion: IT policy ${file} is valid; its settings are in force.`]);
  });

  it('unknown keys: the rest is in force and each key is listed with its line', () => {
    const file = policyFile('{\n  "forbidenPaths": ["/srv"],\n  "stormPerMinute": 100\n}');
    const service = new ManagedPolicyService(file, true, trusted, () => T0);
    expect(service.state.policy.stormPerMinute).toBe(100);
    expect(service.state.failClosed).toBe(false);
    const view = policyStatusView(service.state);
    expect(view).toMatchObject({ state: 'warnings', behaviour: 'policy', problems: [{ path: 'forbidenPaths', line: 2, column: 3 }] });
    expect(policyReportLines(view)).toEqual([
      `cowork-companion: IT policy ${file} applies, with these warnings:`,
      `  ${file}:2:3: forbidenPaths: unknown key "forbidenPaths"; did you mean "forbiddenPaths"?`,
    ]);
  });

  it('broken after a valid one: the last valid policy stays, from when it was read; the next poll is not a change', () => {
    let now = T0;
    const file = policyFile('{ "stormPerMinute": 100 }');
    const service = new ManagedPolicyService(file, true, trusted, () => now);
    now = T0 + 60_000;
    rewrite(file, '{\n  "stormPerMinute": "many"\n}', 1_000);
    expect(service.reload()).toBe(true);
    expect(service.state.policy.stormPerMinute).toBe(100);
    const view = policyStatusView(service.state);
    expect(view).toEqual({
      state: 'invalid',
      file,
      problems: [{ path: 'stormPerMinute', line: 2, column: 21, message: expect.stringContaining('expected number'), source: file }],
      behaviour: 'last-valid',
      since: '2026-12-02T09:00:00.000Z',
      sources: [{ kind: 'file', where: file }],
      // The last valid policy's settings stay locked.
      setKeys: ['stormPerMinute'],
    });
    expect(policyReportLines(view)[0]).toBe(`cowork-companion: IT policy ${file} is invalid; IT's last valid policy (from 2026-12-02T09:00:00.000Z) stays in force. Problems:`);
    expect(policyReportLines(view)[1]).toMatch(new RegExp(`^  ${file}:2:21: stormPerMinute: `));
    now += 2000;
    expect(service.reload()).toBe(false);
    expect(policyStatusView(service.state)).toEqual(view);
    // The evidence carries the error, with the place.
    expect(policyChangedEvent(service.state, now).attributes).toMatchObject({ 'policy.fail_closed': false, 'policy.error': expect.stringContaining('stormPerMinute (line 2, column 21)') });
  });

  it('broken with no valid copy: nothing is allowed automatically, since the problem was first seen', () => {
    let now = T0;
    const file = policyFile('{ "outOfScope": "ask", }');
    const service = new ManagedPolicyService(file, true, trusted, () => now);
    expect(service.state.failClosed).toBe(true);
    const view = policyStatusView(service.state);
    expect(view).toMatchObject({ state: 'invalid', behaviour: 'nothing-automatic', since: '2026-12-02T09:00:00.000Z', problems: [{ line: 1, column: 24, message: 'property name expected' }] });
    expect(policyReportLines(view)[0]).toBe(`cowork-companion: IT policy ${file} is invalid; no valid policy: nothing is allowed automatically, every request asks a person. Problems:`);
    now += 2000;
    service.reload();
    expect(policyStatusView(service.state).since).toBe('2026-12-02T09:00:00.000Z');
  });

  it('strict: an unknown key makes the file invalid, and the last valid policy stays', () => {
    const file = policyFile('{ "strict": true, "stormPerMinute": 100 }');
    const service = new ManagedPolicyService(file, true, trusted, () => T0);
    rewrite(file, '{ "strict": true, "stormPerMinute": 200, "forbidenPaths": [] }', 1_000);
    service.reload();
    expect(service.state.policy.stormPerMinute).toBe(100);
    expect(policyStatusView(service.state)).toMatchObject({ state: 'invalid', behaviour: 'last-valid', problems: [{ path: 'forbidenPaths', message: expect.stringContaining('did you mean "forbiddenPaths"') }] });
  });

  it('a file the user could change is not IT policy: untrusted, and says what is in force', () => {
    const file = policyFile('{ "stormPerMinute": 100 }');
    const service = new ManagedPolicyService(file, true, () => `${file} is writable by every user`, () => T0);
    expect(service.state.failClosed).toBe(true);
    const view = policyStatusView(service.state);
    expect(view).toMatchObject({ state: 'untrusted', behaviour: 'nothing-automatic', problems: [{ path: '(root)', message: `${file} is writable by every user` }] });
    expect(policyReportLines(view)[0]).toBe(`cowork-companion: IT policy ${file} is not used, because the user could change it; no valid policy: nothing is allowed automatically, every request asks a person.`);
  });

  it('no file at the system path: no IT policy, said as such', () => {
    const service = new ManagedPolicyService(join(tmpdir(), 'cc-no-such-policy', 'policy.json'), false, trusted, () => T0);
    const view = policyStatusView(service.state);
    expect(view).toEqual({ state: 'none', problems: [], behaviour: 'defaults' });
    expect(policyReportLines(view)).toEqual(['cowork-companion: no IT policy applies.']);
  });
});
