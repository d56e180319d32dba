// Files inside a shared folder that make later, approved commands run code: a change to them is a
// change to what `git status`, `npm test` or the agent itself will execute, so a person decides each
// write (with the reason shown), even in a read-write folder and whatever a remembered rule says.
// Pure: the path must already be canonical.

interface Sensitive {
  /** Matches the canonical path's components. */
  test(parts: string[]): boolean;
  why: string;
}

const last = (parts: string[], n = 1): string[] => parts.slice(-n);
const inside = (parts: string[], dir: string): boolean => parts.slice(0, -1).includes(dir);

const SENSITIVE: Sensitive[] = [
  { test: (p) => inside(p, '.git') && (last(p)[0] === 'config' || p.includes('hooks')), why: 'Git runs hooks and configured commands (core.fsmonitor, filters) from here on ordinary commands' },
  { test: (p) => inside(p, '.git') && p.includes('info') && last(p)[0] === 'attributes', why: 'Git attributes can run filter commands' },
  { test: (p) => ['.gitattributes', '.gitmodules'].includes(last(p)[0] ?? ''), why: 'Git can run filter or update commands named here' },
  { test: (p) => ['.npmrc', '.yarnrc', '.yarnrc.yml', '.pnpmfile.cjs'].includes(last(p)[0] ?? ''), why: 'the package manager runs scripts and reads credentials as configured here' },
  { test: (p) => last(p)[0] === 'package.json', why: 'its scripts run on npm install, npm test and npm run' },
  { test: (p) => last(p)[0] === '.envrc', why: 'direnv runs it on entering the folder' },
  { test: (p) => inside(p, '.claude') || last(p)[0] === '.mcp.json', why: "it configures the agent itself (hooks, permissions, MCP servers it starts)" },
];

/** Why writing this file needs a person, or undefined when it is an ordinary file. */
export function sensitiveWriteReason(canonicalPath: string): string | undefined {
  const parts = canonicalPath.split(/[\\/]+/).filter(Boolean);
  return SENSITIVE.find((s) => s.test(parts))?.why;
}
