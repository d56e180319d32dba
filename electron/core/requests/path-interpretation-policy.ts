// How the agent's client reads a path argument before acting on it, so the companion decides on the
// file that will really be touched. Claude Code trims a path (JavaScript's trim: spaces, tabs, NBSP,
// BOM and the other Unicode spaces) and expands `~` and `~/…` to the home folder; some versions do it
// before hooks run, some later, so the companion never relies on either: when the spelling as sent
// differs from the client's reading, both are checked. A `~` form the client and a shell would read
// differently (`~user`, `~+`, `~-`) cannot be pinned to one file, so it is refused. Pure.

export type PathReading = { ok: true; paths: string[] } | { ok: false; problem: string };

export function readToolPath(raw: string, home: string): PathReading {
  const trimmed = raw.trim();
  if (trimmed === '') return { ok: false, problem: 'the path is empty or only spaces' };
  let read = trimmed;
  if (trimmed === '~' || trimmed.startsWith('~/')) read = home + trimmed.slice(1);
  else if (trimmed.startsWith('~')) {
    const word = trimmed.split('/')[0]!;
    return { ok: false, problem: `"${word}" is read differently by Claude Code and by a shell, so which folder it names is not certain` };
  }
  return { ok: true, paths: read === raw ? [raw] : [read, raw] };
}
