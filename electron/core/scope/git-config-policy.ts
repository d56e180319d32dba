// Reads Git's config syntax (git-config(1), "CONFIGURATION FILE") far enough to find the values of one
// key: sections and keys are case-insensitive, `[section "subsection"]` and the old `[section.sub]`,
// a key may follow its section header on the same line, values lose leading/trailing blanks, runs of
// blanks outside quotes become spaces, `"` quotes, `\" \\ \n \t \b` escapes, `\` at the end of a line
// continues it, `#`/`;` start a comment outside quotes. A file Git itself would reject gives
// undefined (Git then refuses to run, so nothing in it takes effect). Pure.

export interface GitConfigEntry {
  /** Lower case. */
  section: string;
  /** As written (case-sensitive in Git), undefined for a plain `[section]`. */
  subsection?: string;
  /** Lower case. */
  key: string;
  /** undefined for a key with no `=` (boolean true). */
  value?: string;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
const isAlpha = (c: string | undefined): boolean => c !== undefined && /[A-Za-z]/.test(c);
const isKeyChar = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9-]/.test(c);

export function parseGitConfig(text: string): GitConfigEntry[] | undefined {
  const out: GitConfigEntry[] = [];
  const n = text.length;
  let i = text.startsWith('\uFEFF') ? 1 : 0;
  // Git accepts keys before any section header (they belong to no section).
  let section = '';
  let subsection: string | undefined;

  const skipLine = () => {
    while (i < n && text[i] !== '\n') i += 1;
  };

  /** The value after `=`, up to the end of its (possibly continued) line. */
  const parseValue = (): string | undefined => {
    let value = '';
    let quote = false;
    let comment = false;
    let pendingSpaces = 0;
    for (; i < n; i += 1) {
      const c = text[i]!;
      if (c === '\n') {
        if (quote) return undefined;
        break;
      }
      if (comment) continue;
      if (!quote && isBlank(c)) {
        if (value.length > 0) pendingSpaces += 1;
        continue;
      }
      if (!quote && (c === ';' || c === '#')) {
        comment = true;
        continue;
      }
      value += ' '.repeat(pendingSpaces);
      pendingSpaces = 0;
      if (c === '\\') {
        i += 1;
        const e = text[i];
        if (e === '\n') continue; // line continuation
        if (e === '\r' && text[i + 1] === '\n') {
          i += 1;
          continue;
        }
        if (e === 'n') value += '\n';
        else if (e === 't') value += '\t';
        else if (e === 'b') value += '\b';
        else if (e === '"' || e === '\\') value += e;
        else return undefined;
        continue;
      }
      if (c === '"') {
        quote = !quote;
        continue;
      }
      value += c;
    }
    return value;
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n' || isBlank(c)) {
      i += 1;
      continue;
    }
    if (c === '#' || c === ';') {
      skipLine();
      continue;
    }
    if (c === '[') {
      i += 1;
      let name = '';
      while (i < n && /[A-Za-z0-9.-]/.test(text[i]!)) name += text[i++];
      if (!name) return undefined;
      subsection = undefined;
      if (isBlank(text[i])) {
        while (isBlank(text[i])) i += 1;
        if (text[i] !== '"') return undefined;
        i += 1;
        let sub = '';
        for (;;) {
          const s = text[i];
          if (s === undefined || s === '\n') return undefined;
          i += 1;
          if (s === '"') break;
          if (s === '\\') {
            const e = text[i];
            if (e === undefined || e === '\n') return undefined;
            sub += e;
            i += 1;
            continue;
          }
          sub += s;
        }
        subsection = sub;
      } else if (name.includes('.')) {
        // Deprecated `[section.subsection]`.
        const dot = name.indexOf('.');
        subsection = name.slice(dot + 1).toLowerCase();
        name = name.slice(0, dot);
      }
      if (text[i] !== ']') return undefined;
      i += 1;
      section = name.toLowerCase();
      continue;
    }
    if (isAlpha(c)) {
      let key = '';
      while (isKeyChar(text[i])) key += text[i++];
      while (isBlank(text[i])) i += 1;
      let value: string | undefined;
      if (text[i] === '=') {
        i += 1;
        value = parseValue();
        if (value === undefined) return undefined;
      } else if (i < n && text[i] !== '\n' && text[i] !== '#' && text[i] !== ';') {
        return undefined;
      } else {
        skipLine();
      }
      out.push({ section, ...(subsection !== undefined ? { subsection } : {}), key: key.toLowerCase(), ...(value !== undefined ? { value } : {}) });
      continue;
    }
    return undefined;
  }
  return out;
}

/** Every value of `section.key` (no subsection), in file order (Git uses the last; callers may use all). */
export function configValues(entries: readonly GitConfigEntry[], section: string, key: string): string[] {
  const s = section.toLowerCase();
  const k = key.toLowerCase();
  return entries.filter((e) => e.section === s && e.subsection === undefined && e.key === k && e.value !== undefined).map((e) => e.value!);
}

/** Files this config includes (`[include] path`, and every `[includeIf "…"] path`, whatever its condition). */
export function includedPaths(entries: readonly GitConfigEntry[]): string[] {
  return entries.filter((e) => (e.section === 'include' || e.section === 'includeif') && e.key === 'path' && e.value).map((e) => e.value!);
}
