// The managed policy for macOS: an XML property list of the policy (the preference domain's content,
// for "upload a plist" in an MDM's custom-settings screen or for /Library/Managed Preferences on one
// test Mac) and a configuration profile that carries it. Pure: text in, text out.
//
// Payload form: `com.apple.ManagedClient.preferences` with PayloadContent → {domain: {Forced:
// [{mcx_preference_settings}]}}. It is the form Apple's current DeviceManagement reference documents for
// any app's preference domain ("ManagedPreferences": device and user channel, manual install allowed);
// the direct form (PayloadType = the domain), which profile editors such as ProfileCreator write and
// call the newer one, is not in Apple's reference for third-party domains. Both end up in
// /Library/Managed Preferences/com.coworkcompanion.app.plist, where the companion reads it. Jamf Pro
// takes the .plist below in "Application & Custom Settings" (Upload, domain com.coworkcompanion.app)
// or this profile as an upload; Kandji's "Custom Profile" takes this .mobileconfig as is.
import { createHash } from 'node:crypto';
import { build } from 'plist';
import type { PlistValue } from 'plist';
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import { POLICY_PREFERENCE_DOMAIN } from '../../../shared/managed-policy-layout.js';

/** PayloadOrganization when neither the option nor the policy's `organization.name` gives one: the
 *  admin replaces it before uploading (people see it in System Settings › Profiles). */
const ORGANIZATION_PLACEHOLDER = 'ORGANIZATION_NAME';

export interface MobileconfigOptions {
  /** PayloadOrganization. Default: the policy's `organization.name`, else the ORGANIZATION_NAME placeholder. */
  organization?: string;
  /** Reverse-DNS prefix of the profile's identifiers (default: the preference domain). Each UUID is
   *  derived from its identifier, so a changed prefix gives new UUIDs and the same prefix the same. */
  identifierPrefix?: string;
}

export class PolicyTemplateError extends Error {}

/** A policy checked once for the macOS and Claude Code files. */
export interface PolicyForPlist {
  /** The policy as written, as property-list values (defaults not filled in: a default written out
   *  would become a locked value). What the .plist and the profile carry. */
  asWritten: Record<string, PlistValue>;
  /** The same policy parsed, defaults filled in (what Claude Code's managed settings are made from). */
  parsed: ManagedPolicy;
}

/** Checks that the input is a valid policy (every problem named) and converts it to property-list
 *  values; anything a property list cannot hold is refused. (The opposite of plist-policy.ts's
 *  profilePolicy, which reads the policy back out of a profile.) */
export function policyForPlist(policyInput: unknown): PolicyForPlist {
  const parsed = ManagedPolicySchema.safeParse(policyInput);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PolicyTemplateError(`the policy is not valid, so no profile was made:\n  ${problems.join('\n  ')}`);
  }
  return { asWritten: toPlist(policyInput, []) as Record<string, PlistValue>, parsed: parsed.data };
}

function toPlist(value: unknown, at: string[]): PlistValue {
  const where = at.join('.') || '(root)';
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    // The schema allows whole numbers only; a real would be read back as a different type.
    if (!Number.isSafeInteger(value)) throw new PolicyTemplateError(`${where}: ${value} is not a whole number`);
    return value;
  }
  if (Array.isArray(value)) return value.map((v, i) => toPlist(v, [...at, String(i)]));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, PlistValue> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlist(v, [...at, k]);
    return out;
  }
  throw new PolicyTemplateError(`${where}: a property list cannot hold ${value === null ? 'null' : typeof value}`);
}

/** The XML property list of the policy (policyForPlist's asWritten): the content of the preference
 *  domain com.coworkcompanion.app. */
export function preferencesPlistFor(policy: PolicyForPlist['asWritten']): string {
  return `${build(policy, { indent: '  ' })}\n`;
}

/** RFC 4122 name-based UUID (version 5, SHA-1), upper case as Apple writes them. */
export function nameBasedUuid(name: string, namespace: string = DNS_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const b = createHash('sha1').update(ns).update(name, 'utf8').digest().subarray(0, 16);
  b[6] = (b[6]! & 0x0f) | 0x50;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString('hex').toUpperCase();
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
/** RFC 4122's namespace for domain names; the identifiers are reverse-DNS names. */
const DNS_NAMESPACE = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** A configuration profile (device scope) that forces the policy (policyForPlist's asWritten) into the
 *  app's preference domain. */
export function mobileconfigFor(policy: PolicyForPlist['asWritten'], opts: MobileconfigOptions = {}): string {
  const org = (policy['organization'] as { name?: unknown } | undefined)?.name;
  const organization = opts.organization ?? (typeof org === 'string' && org.trim() !== '' ? org : ORGANIZATION_PLACEHOLDER);
  const prefix = opts.identifierPrefix ?? POLICY_PREFERENCE_DOMAIN;
  const profileId = `${prefix}.policy`;
  const payloadId = `${profileId}.managed-preferences`;
  const payload: Record<string, PlistValue> = {
    PayloadContent: { [POLICY_PREFERENCE_DOMAIN]: { Forced: [{ mcx_preference_settings: policy }] } },
    PayloadDisplayName: 'Cowork Companion policy settings',
    PayloadEnabled: true,
    PayloadIdentifier: payloadId,
    PayloadOrganization: organization,
    PayloadType: 'com.apple.ManagedClient.preferences',
    PayloadUUID: nameBasedUuid(payloadId),
    PayloadVersion: 1,
  };
  const profile: Record<string, PlistValue> = {
    PayloadContent: [payload],
    PayloadDescription: `The Cowork Companion policy of ${organization}: what people may share with AI agents, what no agent may reach, and where evidence goes. Set in the preference domain ${POLICY_PREFERENCE_DOMAIN}; the app shows these settings as set by the organisation.`,
    PayloadDisplayName: 'Cowork Companion policy',
    PayloadIdentifier: profileId,
    PayloadOrganization: organization,
    // Only the MDM (or an administrator) takes it off: a person cannot loosen the policy by removing it.
    PayloadRemovalDisallowed: true,
    // Device scope: /Library/Managed Preferences/<domain>.plist, for every account on the Mac.
    PayloadScope: 'System',
    PayloadType: 'Configuration',
    PayloadUUID: nameBasedUuid(profileId),
    PayloadVersion: 1,
  };
  return `${build(profile, { indent: '  ' })}\n`;
}
