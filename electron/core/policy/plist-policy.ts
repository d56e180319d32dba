// macOS policy: managed preferences (/Library/Managed Preferences/…/com.coworkcompanion.app.plist,
// written by the MDM agent, binary or XML) and configuration profiles (.mobileconfig) for `policy
// check`. Their dicts carry the policy JSON shape as is.
import { DOMParser, onErrorStopParsing } from '@xmldom/xmldom';
import { parseBuffer } from 'bplist-parser';
import { parse } from 'plist';
import { isPlainObject, POLICY_PREFERENCE_DOMAIN } from '../../../shared/managed-policy-layout.js';
import type { PolicySourceKind } from '../../../shared/ui-contract.js';
import { treePart, type PartReading } from './policy-part-policy.js';

/** A plist's top object: binary (`bplist00`) or XML. Throws with the parser's words when it is neither. */
export function parsePlistBytes(bytes: Buffer): unknown {
  if (bytes.subarray(0, 8).toString('latin1') === 'bplist00') return parseBuffer(bytes)[0];
  const text = bytes.toString('utf8');
  // plist's own parser leaves xmldom's errors to console.error, quoting the text (a policy may hold a
  // secret) into whatever log the app's output goes to: a broken document is refused here first, quietly.
  new DOMParser({ onError: onErrorStopParsing }).parseFromString(text, 'text/xml');
  return parse(text);
}

/**
 * The policy dict inside a configuration profile: a payload whose PayloadType is the domain itself,
 * or a Custom Settings payload (`com.apple.ManagedClient.preferences`) with the domain's
 * `Forced[0].mcx_preference_settings`. Payload* bookkeeping keys are not policy. Undefined when the
 * profile has no payload for the domain.
 */
export function profilePolicy(profile: unknown, domain = POLICY_PREFERENCE_DOMAIN): Record<string, unknown> | undefined {
  if (!isPlainObject(profile) || !Array.isArray(profile['PayloadContent'])) return undefined;
  for (const payload of profile['PayloadContent'] as unknown[]) {
    if (!isPlainObject(payload)) continue;
    if (payload['PayloadType'] === domain) return Object.fromEntries(Object.entries(payload).filter(([k]) => !k.startsWith('Payload')));
    if (payload['PayloadType'] === 'com.apple.ManagedClient.preferences' && isPlainObject(payload['PayloadContent'])) {
      const forced = (payload['PayloadContent'][domain] as { Forced?: { mcx_preference_settings?: unknown }[] } | undefined)?.Forced;
      const settings = Array.isArray(forced) ? forced[0]?.mcx_preference_settings : undefined;
      if (isPlainObject(settings)) return settings;
    }
  }
  return undefined;
}

/** A managed-preferences plist (or, with `profile`, a configuration profile) as a policy part. */
export function plistPart(kind: PolicySourceKind, where: string, bytes: Buffer, profile = false): PartReading {
  let top: unknown;
  try {
    top = parsePlistBytes(bytes);
  } catch (error) {
    // Only the place from the parser's words: they may quote the text, which may hold a secret.
    const place = /line[:\s]*(\d+)\D{1,8}col(?:umn)?[:\s]*(\d+)/i.exec((error as Error).message);
    const at = place ? ` (at line ${place[1]}, column ${place[2]})` : '';
    return { ok: false, kind, where, fault: 'syntax', problems: [{ path: '(root)', message: `not a property list: neither a binary nor a valid XML plist${at}`, source: where }] };
  }
  if (!profile) return treePart(kind, where, top);
  const dict = profilePolicy(top);
  if (dict === undefined) return { ok: false, kind, where, fault: 'schema', problems: [{ path: '(root)', message: `no payload for ${POLICY_PREFERENCE_DOMAIN} in this profile`, source: where }] };
  return treePart(kind, where, dict);
}
