// Redaction before the journal: what the managed policy says about personal data is applied to an
// event's attributes before they are written, so nothing un-redacted is ever stored or exported.
// Pure: the same attributes, policy and home folder always give the same result.
//
// - Identity attributes (IDENTITY_ATTRIBUTES: user.email, user.id, user.name, ...) are kept, replaced
//   by `hmac-sha256:<64 hex>`, or dropped. With hmac/drop, e-mail addresses found inside ANY other
//   string attribute (reasons, paths, tool input) are replaced the same way, so an address never
//   survives in some free text.
// - The home folder prefix of paths, anywhere in a string attribute, becomes `~` (whole path
//   components only: home `/home/u` never touches `/home/user2`).
// - Tool input content (TOOL_INPUT_ATTRIBUTES) is removed unless the policy exports it; then it is
//   scrubbed as above and cut to `toolInputMaxChars` with a `…[truncated N chars]` marker.
// - Every result carries `redaction.policy` = redactionFingerprint(policy) (never the key).
import { createHmac } from 'node:crypto';
import { ATTR } from '../../../shared/telemetry-events.js';
import { IDENTITY_ATTRIBUTES, isToolInputAttribute, type RedactionPolicy } from '../../../shared/telemetry-policy-contract.js';
import type { AttributeValue, EvidenceEvent } from './evidence-event.js';

export interface RedactionContext {
  /** The user's home folder (os.homedir()); '' disables home shortening. */
  home: string;
}

export const HMAC_PREFIX = 'hmac-sha256:';
export const DROPPED_EMAIL = '[email redacted]';

const IDENTITY = new Set<string>(IDENTITY_ATTRIBUTES);
const HMAC_VALUE = /^hmac-sha256:[0-9a-f]{64}$/;
const TRUNCATED = /…\[truncated (\d+) chars\]$/u;

// An e-mail address in free text (also URL-encoded `%40`). The domain part is what identifies an
// address, so it is matched whatever precedes it: the local part is the usual characters (letters,
// digits, `. _ % + ' -`, possibly none), and an exotic local part (`a{b@x.com`) loses at least the
// characters next to the `@`. Over-redaction is preferred to a leak. The top-level domain must be
// letters, so version specs such as `react@19.3.1` are left alone.
// A match starts only where a run of local-part characters starts (the look-behind), so the scan
// stays linear on long text (no quadratic backtracking over a megabyte of tool input).
const EMAIL = /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]*(?:@|%40)(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,63}/giu;

/** The effective identity mode: hmac without a key never falls back to keep. */
function identityMode(r: RedactionPolicy): 'keep' | 'hmac' | 'drop' {
  if (r.identity === 'hmac' && !r.hmacKey) return 'drop';
  return r.identity;
}

/**
 * HMAC-SHA256 keyed with the policy's secret, NOT a plain hash: identity values come from a small,
 * known set (the company directory), so a plain SHA-256 of an e-mail is reversed by hashing every
 * address in the directory and looking the result up. Without the key nobody can build that table;
 * with it (IT's collector side) pseudonyms stay joinable: the same person always maps to the same
 * value, and IT can compute HMAC(key, lowercased address) to find a given person's records.
 */
function pseudonym(key: string, value: string): string {
  return HMAC_PREFIX + createHmac('sha256', key).update(value, 'utf8').digest('hex');
}

/** E-mail addresses are compared case-insensitively; URL-encoded `@` counts as `@`. */
function normaliseEmail(address: string): string {
  return address.replace(/%40/gi, '@').trim().toLowerCase();
}

function looksLikeEmail(value: string): boolean {
  EMAIL.lastIndex = 0;
  const whole = EMAIL.exec(value.trim());
  return whole !== null && whole[0].length === value.trim().length;
}

function redactIdentityValue(value: AttributeValue, key: string): string {
  const raw = String(value);
  if (HMAC_VALUE.test(raw)) return raw; // already redacted (idempotent)
  return pseudonym(key, looksLikeEmail(raw) ? normaliseEmail(raw) : raw.trim());
}

function scrubEmails(text: string, mode: 'hmac' | 'drop', key: string | undefined): string {
  if (!text.includes('@') && !/%40/i.test(text)) return text;
  return text.replace(EMAIL, (address) => (mode === 'hmac' && key ? pseudonym(key, normaliseEmail(address)) : DROPPED_EMAIL));
}

// Outside a character class, `-` must NOT be escaped in a unicode-mode pattern (a syntax error).
const escapeRegex = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** `literal`: for a POSIX home, the text every match is (so text without it needs no regex run). */
interface HomeMatcher {
  pattern: RegExp | undefined;
  literal: string | undefined;
}
/** No home to shorten. */
const NO_HOME: HomeMatcher = { pattern: undefined, literal: undefined };
let cachedHome: (HomeMatcher & { home: string }) | undefined;

/**
 * A pattern matching the home folder as a whole path prefix inside text: not preceded by a path
 * character, and followed by a separator, the end, or punctuation/space that ends a path.
 * Windows homes (`C:\Users\u`, UNC) match either separator and any case. Roots (`/`, `C:\`) and
 * empty homes give no pattern (shortening them would turn every path into `~`).
 */
export function homePathPattern(home: string): RegExp | undefined {
  return homeMatcher(home).pattern;
}

function homeMatcher(home: string): HomeMatcher {
  if (cachedHome?.home !== home) cachedHome = { home, ...buildHomePattern(home) };
  return cachedHome;
}

function buildHomePattern(home: string): HomeMatcher {
  const h = home.trim();
  const unc = /^[\\/]{2}[^\\/]/.test(h);
  const windows = unc || /^[A-Za-z]:[\\/]/.test(h);
  const parts = h.split(windows ? /[\\/]+/ : /\/+/).filter((p) => p !== '');
  if (parts.length < (windows && !unc ? 2 : 1)) return NO_HOME;
  if (!windows && !h.startsWith('/')) return NO_HOME; // not an absolute POSIX path
  const sep = windows ? '[\\\\/]' : '/';
  const body = (unc ? `${sep}${sep}` : windows ? '' : '/') + parts.map(escapeRegex).join(sep);
  const before = windows ? '(?<![\\p{L}\\p{N}_.~\\\\/-])' : '(?<![\\p{L}\\p{N}_.~/-])';
  const after = `(?=$|${sep}|[\\s"'\`)\\]},;>|]|\\.(?:$|\\s))`;
  try {
    // Windows homes match case-insensitively (Unicode case folding): no literal to look for first.
    return { pattern: new RegExp(before + body + after, windows ? 'giu' : 'gu'), literal: windows ? undefined : `/${parts.join('/')}` };
  } catch {
    return NO_HOME; // never let a strange home folder make recording (and so deciding) fail
  }
}

function shortenHome(text: string, home: HomeMatcher): string {
  const pattern = home.pattern;
  if (!pattern) return text;
  if (home.literal !== undefined && !text.includes(home.literal)) return text;
  pattern.lastIndex = 0;
  return text.replace(pattern, '~');
}

/** Cut to `max` characters (code points, never half a surrogate pair) with a marker of what was cut. */
export function truncateText(value: string, max: number): string {
  const marked = TRUNCATED.exec(value);
  if (marked && Array.from(value.slice(0, marked.index)).length <= max) return value; // already cut
  const chars = Array.from(value);
  if (chars.length <= max) return value;
  return `${chars.slice(0, max).join('')}…[truncated ${chars.length - max} chars]`;
}

/**
 * A short, non-secret description of how attributes were redacted, e.g.
 * `identity=hmac,kid=1a2b3c4d,home=~,input=off`. `kid` identifies the HMAC key (an HMAC of a fixed
 * label, so it reveals nothing a pseudonym does not) so a key rotation is visible in the evidence.
 */
export function redactionFingerprint(redaction: RedactionPolicy): string {
  const mode = identityMode(redaction);
  const parts = [`identity=${mode}`];
  if (mode === 'hmac' && redaction.hmacKey) parts.push(`kid=${keyId(redaction.hmacKey)}`);
  parts.push(`home=${redaction.shortenHomePaths ? '~' : 'kept'}`);
  parts.push(`input=${redaction.exportToolInput ? String(redaction.toolInputMaxChars) : 'off'}`);
  return parts.join(',');
}

/** The key's label (an HMAC of a fixed text): asked for on every record, and the key seldom changes,
 *  so the last one's is kept. */
let lastKeyId: { key: string; id: string } | undefined;
function keyId(key: string): string {
  if (lastKeyId?.key !== key) lastKeyId = { key, id: createHmac('sha256', key).update('cowork-companion/redaction/key-id/v1').digest('hex').slice(0, 8) };
  return lastKeyId.id;
}

type AttributeKind = 'event-id' | 'policy' | 'tool-input' | 'identity' | 'other';

/** What each attribute name is, remembered: the same few names come on every record. Relayed
 *  records may bring any names, so past KINDS_KEPT new names are classified each time instead. */
const kinds = new Map<string, AttributeKind>();
const KINDS_KEPT = 1024;

function kindOf(name: string): AttributeKind {
  let kind = kinds.get(name);
  if (kind !== undefined) return kind;
  if (name === ATTR.redactionPolicy) kind = 'policy';
  else if (name === ATTR.eventId) kind = 'event-id';
  else if (isToolInputAttribute(name)) kind = 'tool-input';
  else if (IDENTITY.has(name)) kind = 'identity';
  else kind = 'other';
  if (kinds.size < KINDS_KEPT) kinds.set(name, kind);
  return kind;
}

/** Applies the redaction policy to one event's attributes; returns a new object. */
export function redactAttributes(
  attrs: Readonly<Record<string, AttributeValue>>,
  redaction: RedactionPolicy,
  ctx: RedactionContext,
): Record<string, AttributeValue> {
  const mode = identityMode(redaction);
  const key = redaction.hmacKey;
  const home = redaction.shortenHomePaths ? homeMatcher(ctx.home) : NO_HOME;
  const scrub = (text: string): string => shortenHome(mode === 'keep' ? text : scrubEmails(text, mode, key), home);

  const out: Record<string, AttributeValue> = {};
  const names = Object.keys(attrs);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = attrs[name]!;
    switch (kindOf(name)) {
      case 'policy':
        continue; // set below, from the policy actually applied
      case 'event-id':
        out[name] = value; // the de-duplication key is never altered
        continue;
      case 'tool-input':
        if (!redaction.exportToolInput) continue;
        // Scrub before cutting: a cut could otherwise leave half an address that no longer matches.
        out[name] = typeof value === 'string' ? truncateText(scrub(value), redaction.toolInputMaxChars) : value;
        continue;
      case 'identity':
        if (mode === 'keep') out[name] = value;
        else if (mode === 'hmac' && key) out[name] = redactIdentityValue(value, key);
        continue; // drop
      case 'other':
        out[name] = typeof value === 'string' ? scrub(value) : value;
    }
  }
  out[ATTR.redactionPolicy] = redactionFingerprint(redaction);
  return out;
}

/** The event with its attributes redacted (for the evidence recorder's transform before the journal). */
export function redactEvidenceEvent(event: EvidenceEvent, redaction: RedactionPolicy, ctx: RedactionContext): EvidenceEvent {
  return { ...event, attributes: redactAttributes(event.attributes, redaction, ctx) };
}
