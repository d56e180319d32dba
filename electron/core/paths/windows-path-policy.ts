// Windows spellings that name the same file differently, reduced to one form before containment
// checks. Pure string logic (tested here on Linux); on Windows the canonicalizer also asks the OS.
export type WindowsPathResult = { ok: true; path: string } | { ok: false; reason: string };

const DEVICE_PREFIX = /^\\\\[?.]\\/;
const UNC_DEVICE = /^\\\\[?.]\\UNC\\/i;

export function normalizeWindowsPath(input: string): WindowsPathResult {
  if (input.includes('\0')) return { ok: false, reason: 'the path contains a NUL byte' };
  let p = input.replace(/\//g, '\\');
  if (UNC_DEVICE.test(p)) p = `\\\\${p.replace(UNC_DEVICE, '')}`;
  else if (DEVICE_PREFIX.test(p)) p = p.replace(DEVICE_PREFIX, '');
  let root: string;
  let rest: string;
  const drive = /^([a-zA-Z]):\\/.exec(p);
  if (drive) {
    root = `${drive[1]!.toUpperCase()}:\\`;
    rest = p.slice(3);
  } else if (p.startsWith('\\\\')) {
    const [server, share, ...tail] = p.slice(2).split('\\');
    if (!server || !share) return { ok: false, reason: `"${input}" is an incomplete UNC path` };
    root = `\\\\${server}\\${share}\\`;
    rest = tail.join('\\');
  } else if (/^[a-zA-Z]:/.test(p)) {
    return { ok: false, reason: `"${input}" is relative to the current folder of drive ${p[0]}:` };
  } else {
    return { ok: false, reason: `"${input}" is not an absolute Windows path` };
  }
  const out: string[] = [];
  for (const raw of rest.split('\\')) {
    if (raw === '' || raw === '.') continue;
    if (raw === '..') {
      out.pop();
      continue;
    }
    // Alternate data streams: "file.txt:secret:$DATA" is the file "file.txt".
    const colon = raw.indexOf(':');
    let name = colon >= 0 ? raw.slice(0, colon) : raw;
    // Win32 drops trailing dots and spaces: "secret. . " is "secret".
    name = name.replace(/[. ]+$/, '');
    if (name === '') return { ok: false, reason: `"${input}" has a component that Windows reduces to nothing` };
    // 8.3 short names (PROGRA~1) can only be expanded by the file system.
    if (/~\d+(\.|$)/.test(name)) return { ok: false, reason: `"${input}" uses an 8.3 short name that only Windows can expand` };
    out.push(name);
  }
  return { ok: true, path: root + out.join('\\') };
}
