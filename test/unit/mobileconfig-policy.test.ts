// The macOS files: the plist of the policy and the configuration profile that carries it, parsed back
// with the plist library (XML), converted to a binary plist by python3's plistlib (as macOS may store
// it in /Library/Managed Preferences) and read with bplist-parser, and checked well-formed by xmllint.
// Their golden files: macos-claude-artifacts.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseBuffer } from 'bplist-parser';
import bplistCreator from 'bplist-creator';
import { parse } from 'plist';
import { afterAll, describe, expect, it } from 'vitest';
import { ManagedPolicySchema } from '../../shared/managed-policy-contract.js';
import { mobileconfigFor, nameBasedUuid, PolicyTemplateError, policyForPlist, preferencesPlistFor, type MobileconfigOptions } from '../../electron/core/deploy/index.js';

// Each file is made from the policy as policyForPlist checks and converts it (once, in `policy generate`).
const prefsFor = (policy: unknown): string => preferencesPlistFor(policyForPlist(policy).asWritten);
const profileFor = (policy: unknown, opts?: MobileconfigOptions): string => mobileconfigFor(policyForPlist(policy).asWritten, opts);

const FIXTURES = fileURLToPath(new URL('../fixtures/policy-templates/', import.meta.url));
const example = JSON.parse(readFileSync(join(FIXTURES, 'macos-claude-example-policy.json'), 'utf8')) as Record<string, unknown>;
const tmp = mkdtempSync(join(tmpdir(), 'mobileconfig-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

type Dict = Record<string, unknown>;
const UUID = /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/;

function xmllint(text: string, name: string): { status: number | null; stderr: string } {
  const file = join(tmp, name);
  writeFileSync(file, text);
  // --nonet: the DOCTYPE names Apple's DTD by URL; well-formedness needs no network.
  const r = spawnSync('xmllint', ['--noout', '--nonet', file], { encoding: 'utf8' });
  if (r.error) throw r.error;
  return { status: r.status, stderr: r.stderr };
}

/** XML plists → binary plists with python3's plistlib (what `plutil -convert binary1` does on a Mac),
 *  all in one python3 start. */
function toBinaryWithPython(xmls: string[], name: string): Buffer[] {
  const files = xmls.map((xml, i) => {
    const src = join(tmp, `${name}-${i}.xml`);
    writeFileSync(src, xml);
    return [src, join(tmp, `${name}-${i}.bplist`)] as const;
  });
  const script = 'import plistlib,sys\na=sys.argv[1:]\nfor s,d in zip(a[::2],a[1::2]): plistlib.dump(plistlib.load(open(s,"rb")),open(d,"wb"),fmt=plistlib.FMT_BINARY)';
  const r = spawnSync('python3', ['-c', script, ...files.flat()], { encoding: 'utf8' });
  if (r.error) throw r.error;
  expect(r.status, r.stderr).toBe(0);
  return files.map(([, dst]) => {
    const bytes = readFileSync(dst);
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('bplist00');
    return bytes;
  });
}

describe('nameBasedUuid', () => {
  it('is RFC 4122 version 5 (the DNS-namespace example every implementation agrees on)', () => {
    expect(nameBasedUuid('www.example.com')).toBe('2ED6657D-E927-568B-95E1-2665A8AEA6A2');
    expect(nameBasedUuid('a')).not.toBe(nameBasedUuid('b'));
  });
});

describe('policyForPlist', () => {
  it('gives the policy as written for the plist and parsed, defaults filled, for Claude Code', () => {
    const { asWritten, parsed } = policyForPlist({ approvals: { timeoutSeconds: 240 } });
    expect(asWritten).toEqual({ approvals: { timeoutSeconds: 240 } });
    expect(parsed.approvals?.timeoutSeconds).toBe(240);
    expect(parsed.forbiddenPaths).toEqual(ManagedPolicySchema.parse({}).forbiddenPaths);
  });
});

describe('preferencesPlistFor', () => {
  const xml = prefsFor(example);

  it('round-trips through the plist library: the policy exactly as written (no defaults added)', () => {
    expect(parse(xml)).toEqual(example);
    expect(xml).not.toContain('<key>strict</key>'); // a default not written stays unlocked
    expect(xml).toContain('<integer>240</integer>');
    expect(xml).toContain('Example Corp &lt;IT&gt;');
  });

  it('reads back the same from a binary plist (python3 plistlib) with bplist-parser, and from bplist-creator', () => {
    expect(parseBuffer(toBinaryWithPython([xml], 'prefs')[0]!)[0]).toEqual(example);
    expect(parseBuffer(bplistCreator(example))[0]).toEqual(example);
  });

  it('is well-formed XML (xmllint)', () => {
    const r = xmllint(xml, 'prefs.plist');
    expect(r.status, r.stderr).toBe(0);
    // Not vacuous: xmllint does reject a broken plist.
    expect(xmllint(xml.replace('</dict>', ''), 'broken.plist').status).not.toBe(0);
  });

  it('round-trips the smallest policy and empty lists and maps', () => {
    const policies = [{}, { forbiddenPaths: [], mcpPathArguments: {}, sharedFolders: [{ path: '/x', mode: 'read-write', label: '' }] }];
    const binaries = toBinaryWithPython(policies.map(prefsFor), 'small');
    policies.forEach((p, i) => {
      expect(parse(prefsFor(p))).toEqual(p);
      expect(parseBuffer(binaries[i]!)[0]).toEqual(p);
    });
  });

  it('refuses an invalid policy, naming each key path', () => {
    const bad = { approvals: { timeoutSeconds: 1 }, outOfScope: 'allow', surprise: true };
    expect(() => prefsFor(bad)).toThrow(PolicyTemplateError);
    const message = (() => {
      try {
        prefsFor(bad);
      } catch (e) {
        return (e as Error).message;
      }
      return '';
    })();
    expect(message).toMatch(/approvals\.timeoutSeconds/);
    expect(message).toMatch(/outOfScope/);
    expect(message).toMatch(/surprise/);
  });
});

describe('mobileconfigFor', () => {
  const text = profileFor(example);
  const profile = parse(text) as Dict;
  const payloads = profile['PayloadContent'] as Dict[];

  it('is a Configuration profile with one managed-preferences payload that forces the policy into the domain', () => {
    expect(profile).toMatchObject({ PayloadType: 'Configuration', PayloadVersion: 1, PayloadScope: 'System', PayloadRemovalDisallowed: true, PayloadIdentifier: 'com.coworkcompanion.app.policy', PayloadOrganization: 'Example Corp <IT>' });
    expect(payloads).toHaveLength(1);
    const p = payloads[0]!;
    expect(p).toMatchObject({ PayloadType: 'com.apple.ManagedClient.preferences', PayloadVersion: 1, PayloadIdentifier: 'com.coworkcompanion.app.policy.managed-preferences' });
    const domain = (p['PayloadContent'] as Dict)['com.coworkcompanion.app'] as Dict;
    expect(Object.keys(p['PayloadContent'] as Dict)).toEqual(['com.coworkcompanion.app']);
    expect(domain['Forced']).toEqual([{ mcx_preference_settings: example }]);
  });

  it('has stable, distinct version-5 UUIDs derived from the identifiers: generating again gives the same file', () => {
    expect(profile['PayloadUUID']).toMatch(UUID);
    expect(payloads[0]!['PayloadUUID']).toMatch(UUID);
    expect(profile['PayloadUUID']).not.toBe(payloads[0]!['PayloadUUID']);
    expect(profile['PayloadUUID']).toBe(nameBasedUuid('com.coworkcompanion.app.policy'));
    expect(profileFor(structuredClone(example))).toBe(text);
    const other = parse(profileFor(example, { identifierPrefix: 'com.example.it' })) as Dict;
    expect(other['PayloadIdentifier']).toBe('com.example.it.policy');
    expect(other['PayloadUUID']).not.toBe(profile['PayloadUUID']);
  });

  it('leaves the ORGANIZATION_NAME placeholder where the policy names no organisation; the option wins', () => {
    const { organization: _drop, ...anonymous } = example;
    const placeholder = parse(profileFor(anonymous)) as Dict;
    expect(placeholder['PayloadOrganization']).toBe('ORGANIZATION_NAME');
    expect(String(placeholder['PayloadDescription'])).toContain('ORGANIZATION_NAME');
    expect((parse(profileFor(example, { organization: 'Other Ltd' })) as Dict)['PayloadOrganization']).toBe('Other Ltd');
  });

  it('is well-formed and reads back the same as a binary plist', () => {
    const r = xmllint(text, 'policy.mobileconfig');
    expect(r.status, r.stderr).toBe(0);
    expect(parseBuffer(toBinaryWithPython([text], 'profile')[0]!)[0]).toEqual(profile);
  });
});
