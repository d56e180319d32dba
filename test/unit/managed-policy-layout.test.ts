import { describe, expect, it } from 'vitest';
import { ManagedPolicySchema } from '../../shared/managed-policy-contract.js';
import { isPlainObject, pathText, POLICY_SETTINGS, registryPlace, setValueAt, unwrapped, valueAt } from '../../shared/managed-policy-layout.js';

const byKey = new Map(POLICY_SETTINGS.map((s) => [s.key, s]));

describe('managed policy layout', () => {
  it('lists every top-level key of the schema, nested objects as their own settings', () => {
    const tops = new Set(POLICY_SETTINGS.map((s) => s.path[0]));
    expect([...tops].sort()).toEqual(Object.keys(ManagedPolicySchema.shape).sort());
    expect(byKey.has('approvals')).toBe(false);
    expect(byKey.get('telemetry.redaction.identity')?.kind).toEqual({ type: 'enum', values: ['keep', 'hmac', 'drop'] });
  });

  it('gives each value the kind an MDM format can carry', () => {
    expect(byKey.get('allowPersonalRules')?.kind).toEqual({ type: 'boolean' });
    expect(byKey.get('approvals.timeoutSeconds')?.kind).toEqual({ type: 'integer', min: 5, max: 3600 });
    expect(byKey.get('forbiddenPaths')?.kind).toEqual({ type: 'string-list' });
    // Lists of objects and maps have no Group Policy element: JSON text.
    expect(byKey.get('sharedFolders')?.kind).toEqual({ type: 'json' });
    expect(byKey.get('mcpPathArguments')?.kind).toEqual({ type: 'json' });
    expect(byKey.get('telemetry.headers')?.kind).toEqual({ type: 'json' });
  });

  it('reads and writes a value by its path', () => {
    const target: Record<string, unknown> = { approvals: { onTimeout: 'hold' } };
    setValueAt(target, ['approvals', 'timeoutSeconds'], 60);
    setValueAt(target, ['telemetry', 'redaction', 'identity'], 'drop');
    expect(target).toEqual({ approvals: { onTimeout: 'hold', timeoutSeconds: 60 }, telemetry: { redaction: { identity: 'drop' } } });
    expect(valueAt(target, ['approvals', 'timeoutSeconds'])).toBe(60);
    expect(valueAt(target, ['watch', 'enabled'])).toBeUndefined();
    expect(valueAt({ a: [1] }, ['a', '0'])).toBeUndefined();
  });

  it('puts each setting in one registry place (what the ADMX writes and the registry reader reads)', () => {
    const place = (key: string) => registryPlace(byKey.get(key)!);
    expect(place('allowUserFolders')).toEqual({ key: 'Software\\Policies\\CoworkCompanion', valueName: 'allowUserFolders', type: 'REG_DWORD' });
    expect(place('telemetry.redaction.identity')).toEqual({ key: 'Software\\Policies\\CoworkCompanion\\telemetry\\redaction', valueName: 'identity', type: 'REG_SZ' });
    expect(place('sharedFolders').type).toBe('REG_SZ');
    const list = place('watch.exclude').list!;
    expect(list.key).toBe('Software\\Policies\\CoworkCompanion\\watch\\exclude');
    expect(['1', '2', '10'].every((n) => list.entryName.test(n))).toBe(true);
    expect(list.entryName.test('C:\\Secret')).toBe(false);
  });

  it('names a key path one way, finds the schema under its wrappers, and tells a dict from other values', () => {
    expect(pathText(['sharedFolders', 0, 'mode'])).toBe('sharedFolders[0].mode');
    expect(pathText(['telemetry', 'headers', 'x-api-key'])).toBe('telemetry.headers.x-api-key');
    expect(pathText([])).toBe('(root)');
    expect(unwrapped(byKey.get('approvals.timeoutSeconds')!.schema).def.type).toBe('number');
    expect([{}, { a: 1 }].every(isPlainObject)).toBe(true);
    expect([null, [], new Date(0), Buffer.from('x'), 'x'].some(isPlainObject)).toBe(false);
  });
});
