// Is a canonical path inside a folder? Whole path components only ("/a/b" is not inside "/a/bc"),
// with the case and Unicode rules of the volume. Pure: both sides must already be canonical.

export interface VolumeRules {
  /** Windows paths (drive letters, backslashes). */
  windows: boolean;
  /** macOS and Windows volumes are case-insensitive by default. */
  caseInsensitive: boolean;
  /** APFS/HFS+ treat NFC and NFD spellings as the same name; ext4 does not. */
  normalizationInsensitive: boolean;
}

export function volumeRulesFor(platform: NodeJS.Platform): VolumeRules {
  const mac = platform === 'darwin';
  const win = platform === 'win32';
  return { windows: win, caseInsensitive: mac || win, normalizationInsensitive: mac || win };
}

export function comparisonKey(path: string, rules: VolumeRules): string {
  let key = rules.normalizationInsensitive ? path.normalize('NFC') : path;
  // toUpperCase then toLowerCase folds more pairs (e.g. 'ß' vs 'SS' is left alone, 'K' Kelvin sign folds).
  if (rules.caseInsensitive) key = key.toUpperCase().toLowerCase();
  return key;
}

/** True when `child` is `parent` or below it, comparing whole components. */
export function isWithin(child: string, parent: string, rules: VolumeRules): boolean {
  const sep = rules.windows ? '\\' : '/';
  const c = comparisonKey(child, rules);
  let p = comparisonKey(parent, rules);
  while (p.length > 1 && p.endsWith(sep) && !/^[a-z]:\\$/i.test(p)) p = p.slice(0, -1);
  if (c === p) return true;
  if (!p.endsWith(sep)) p += sep;
  return c.startsWith(p);
}
