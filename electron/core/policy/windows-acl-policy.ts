// Could the user (and so the agent) change a Windows file or folder? Decided from its security
// descriptor as SDDL, the text form Windows defines for it:
//   format  https://learn.microsoft.com/windows/win32/secauthz/security-descriptor-string-format
//   ACEs    https://learn.microsoft.com/windows/win32/secauthz/ace-strings
//   SIDs    https://learn.microsoft.com/windows/win32/secauthz/sid-strings
//   rights  https://learn.microsoft.com/windows/win32/fileio/file-access-rights-constants
// Why SDDL rather than icacls: icacls prints account names in the system's language (BUILTIN\Users
// is VORDEFINIERT\Benutzer on a German system) and never the owner; SDDL has both, with well-known
// accounts as fixed two-letter aliases (SY, BA, BU, AU, WD, IU…) and others as SIDs.
// Pure: the SDDL comes from `Get-Acl` (windows-acl-reader.ts), or from a test.
//
// The rule (the Windows form of the POSIX one in policy-file-trust.ts):
// - owner SYSTEM, Administrators or TrustedInstaller, for the file and every folder above it;
// - no allow entry for anyone else with a right that changes the file (write, append, attributes,
//   delete, permissions, owner, generic all/write);
// - on folders, no right for anyone else that removes, renames or replaces what is in them (delete
//   child, delete, permissions, owner, generic all/write). Adding new names is allowed, as in a sticky
//   /tmp: Windows gives Users that on C:\ProgramData and its subfolders, and whatever a user creates
//   is owned by that user, which the owner rule refuses.
// Deny entries are not credited (a write granted anywhere is enough to refuse); inherit-only entries
// do not apply to the object itself (they appear, inherited, on the children, which are checked too).

export const SID = {
  system: 'S-1-5-18',
  administrators: 'S-1-5-32-544',
  trustedInstaller: 'S-1-5-80-956008885-3418522649-1831038044-1853292631-2271478464',
  users: 'S-1-5-32-545',
  authenticatedUsers: 'S-1-5-11',
  everyone: 'S-1-1-0',
  interactive: 'S-1-5-4',
  creatorOwner: 'S-1-3-0',
  creatorGroup: 'S-1-3-1',
  ownerRights: 'S-1-3-4',
} as const;

/** Well-known SID aliases of SDDL (sid-strings); domain-relative ones (DA, DU, LA…) stay unresolved. */
const ALIASES: Record<string, string> = {
  SY: SID.system,
  BA: SID.administrators,
  BU: SID.users,
  AU: SID.authenticatedUsers,
  WD: SID.everyone,
  IU: SID.interactive,
  CO: SID.creatorOwner,
  CG: SID.creatorGroup,
  OW: SID.ownerRights,
  BG: 'S-1-5-32-546',
  PU: 'S-1-5-32-547',
  AN: 'S-1-5-7',
  NU: 'S-1-5-2',
  SU: 'S-1-5-6',
  LS: 'S-1-5-19',
  NS: 'S-1-5-20',
  RD: 'S-1-5-32-555',
  AC: 'S-1-15-2-1',
};

const NAMES: Record<string, string> = {
  [SID.system]: 'SYSTEM',
  [SID.administrators]: 'Administrators',
  [SID.trustedInstaller]: 'TrustedInstaller',
  [SID.users]: 'Users',
  [SID.authenticatedUsers]: 'Authenticated Users',
  [SID.everyone]: 'Everyone',
  [SID.interactive]: 'INTERACTIVE',
  'S-1-5-32-546': 'Guests',
  'S-1-5-32-547': 'Power Users',
  'S-1-5-7': 'ANONYMOUS LOGON',
  'S-1-5-2': 'NETWORK',
  'S-1-5-6': 'SERVICE',
  'S-1-5-19': 'LOCAL SERVICE',
  'S-1-5-20': 'NETWORK SERVICE',
  'S-1-5-32-555': 'Remote Desktop Users',
  'S-1-15-2-1': 'ALL APPLICATION PACKAGES',
};

const TRUSTED_OWNERS = new Set<string>([SID.system, SID.administrators, SID.trustedInstaller]);
/** May hold any right: the trusted owners, and placeholders that only ever stand for the (trusted) owner. */
const TRUSTED_HOLDERS = new Set<string>([...TRUSTED_OWNERS, SID.creatorOwner, SID.creatorGroup, SID.ownerRights]);

// Access mask bits (winnt.h; file-access-rights-constants).
const FILE_WRITE_DATA = 0x2; // folder: add a file
const FILE_APPEND_DATA = 0x4; // folder: add a subfolder
const FILE_WRITE_EA = 0x10;
const FILE_DELETE_CHILD = 0x40;
const FILE_WRITE_ATTRIBUTES = 0x100;
const DELETE = 0x10000;
const WRITE_DAC = 0x40000;
const WRITE_OWNER = 0x80000;
const GENERIC_ALL = 0x10000000;
const GENERIC_WRITE = 0x40000000;

const CHANGES_PERMISSIONS = WRITE_DAC | WRITE_OWNER | GENERIC_ALL | GENERIC_WRITE;
const FILE_CHANGES = FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA | FILE_WRITE_ATTRIBUTES | DELETE | CHANGES_PERMISSIONS;
const FOLDER_CHANGES = FILE_DELETE_CHILD | DELETE | CHANGES_PERMISSIONS;

/** Rights aliases of ACE strings. The directory-service names are plain bits on files: DC is 0x2
 *  (add file), LC 0x4 (add subfolder), DT 0x40 (delete child), CR 0x100 (write attributes). */
const RIGHTS: Record<string, number> = {
  GA: GENERIC_ALL, GR: 0x80000000, GW: GENERIC_WRITE, GX: 0x20000000,
  RC: 0x20000, SD: DELETE, WD: WRITE_DAC, WO: WRITE_OWNER,
  CC: 0x1, DC: 0x2, LC: 0x4, SW: 0x8, RP: 0x10, WP: 0x20, DT: 0x40, LO: 0x80, CR: 0x100,
  FA: 0x1f01ff, FR: 0x120089, FW: 0x120116, FX: 0x1200a0,
  KA: 0xf003f, KR: 0x20019, KW: 0x20006, KX: 0x20019,
};

const ALLOW_TYPES = new Set(['A', 'OA', 'XA', 'ZA']);
const OTHER_TYPES = new Set(['D', 'OD', 'XD', 'AU', 'AL', 'OU', 'OL', 'ML', 'XU', 'RA', 'SP']);

export interface Ace {
  type: string;
  flags: string[];
  mask: number;
  /** A SID ('S-1-…'), or an alias this table does not resolve. */
  sid: string;
}

export interface SecurityDescriptor {
  owner?: string;
  /** 'null' for a null DACL (D:NO_ACCESS_CONTROL: everyone may do anything). */
  dacl?: Ace[] | 'null';
}

/** Parses an SDDL string (owner and DACL; the group and SACL are skipped). Throws when malformed. */
export function parseSddl(sddl: string): SecurityDescriptor {
  const s = sddl.trim();
  const out: SecurityDescriptor = {};
  let i = 0;
  while (i < s.length) {
    const tag = s.slice(i, i + 2);
    i += 2;
    if (tag === 'O:' || tag === 'G:') {
      const m = /^(S-1(?:-\d+)+|[A-Z]{2})/.exec(s.slice(i));
      if (!m) throw new Error(`no SID after ${tag}`);
      if (tag === 'O:') out.owner = sidOf(m[1]!);
      i += m[1]!.length;
    } else if (tag === 'D:' || tag === 'S:') {
      const flags = /^(?:P|AI|AR|NO_ACCESS_CONTROL)*/.exec(s.slice(i))![0];
      i += flags.length;
      const aces: Ace[] = [];
      while (s[i] === '(') {
        const end = closingParen(s, i);
        aces.push(parseAce(s.slice(i + 1, end)));
        i = end + 1;
      }
      if (tag === 'D:') out.dacl = flags.includes('NO_ACCESS_CONTROL') ? 'null' : aces;
    } else {
      throw new Error(`unexpected ${JSON.stringify(s.slice(i - 2, i + 8))}`);
    }
  }
  return out;
}

/**
 * Why `path` (the policy file, or a folder above it) lets someone other than the system and its
 * administrators change the policy, or undefined when it does not.
 */
export function sddlUntrustedReason(path: string, sddl: string, kind: 'file' | 'folder'): string | undefined {
  let sd: SecurityDescriptor;
  try {
    sd = parseSddl(sddl);
  } catch (error) {
    return `cannot read the permissions of ${path} (${(error as Error).message})`;
  }
  if (sd.owner === undefined) return `cannot tell who owns ${path}`;
  if (!TRUSTED_OWNERS.has(sd.owner)) {
    return `${path} is owned by ${describe(sd.owner)}, not by SYSTEM, Administrators or TrustedInstaller, so that account could change the policy`;
  }
  if (sd.dacl === undefined) return `cannot read who may change ${path}`;
  if (sd.dacl === 'null') return `${path} has no access list, so every user may change it`;
  const changes = kind === 'file' ? FILE_CHANGES : FOLDER_CHANGES;
  for (const ace of sd.dacl) {
    if (!ALLOW_TYPES.has(ace.type) || ace.flags.includes('IO') || TRUSTED_HOLDERS.has(ace.sid)) continue;
    const granted = (ace.mask & changes) >>> 0;
    if (granted !== 0) {
      const what = kind === 'file' ? 'change it' : 'delete, rename or re-permission what is in it';
      return `${path} lets ${describe(ace.sid)} ${what} (rights 0x${granted.toString(16)})`;
    }
  }
  return undefined;
}

function sidOf(text: string): string {
  return text.startsWith('S-') ? text : (ALIASES[text] ?? text);
}

function describe(sid: string): string {
  const name = NAMES[sid];
  return name ? `${name} (${sid})` : sid;
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  throw new Error('unbalanced parentheses');
}

function parseAce(body: string): Ace {
  // ace_type;ace_flags;rights;object_guid;inherit_object_guid;account_sid[;(condition or attribute)]
  const f = body.split(';');
  if (f.length < 6) throw new Error(`ACE (${body}) has ${f.length} fields`);
  const [type, flagText, rights, , , sid] = f as [string, string, string, string, string, string];
  if (!ALLOW_TYPES.has(type) && !OTHER_TYPES.has(type)) throw new Error(`unknown ACE type ${type}`);
  if (flagText.length % 2 !== 0) throw new Error(`ACE flags ${flagText}`);
  const flags = flagText.match(/../g) ?? [];
  if (!/^(S-1(?:-\d+)+|[A-Z]{2})$/.test(sid)) throw new Error(`ACE SID ${sid}`);
  return { type, flags, mask: parseRights(rights), sid: sidOf(sid) };
}

function parseRights(text: string): number {
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16) >>> 0;
  if (/^\d+$/.test(text)) return Number(text) >>> 0;
  if (text.length === 0 || text.length % 2 !== 0) throw new Error(`rights ${JSON.stringify(text)}`);
  let mask = 0;
  for (let i = 0; i < text.length; i += 2) {
    const bit = RIGHTS[text.slice(i, i + 2)];
    if (bit === undefined) throw new Error(`unknown right ${text.slice(i, i + 2)}`);
    mask = (mask | bit) >>> 0;
  }
  return mask;
}
