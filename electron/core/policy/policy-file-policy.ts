// What a policy file's text means: the policy, or the problems that make it invalid — each with the
// line, column and key path a person can find in the file. Unknown keys are warnings and the rest
// applies (a newer MDM profile may carry keys this version does not know), unless the policy says
// `"strict": true`. A misspelt key is named with the closest known one: a typo such as
// `forbidenPaths` would otherwise drop a restriction silently.
import { findNodeAtLocation, parseTree, printParseErrorCode, visit, type Node } from 'jsonc-parser';
import type { z } from 'zod';
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import type { PolicyProblem } from '../../../shared/ui-contract.js';

export type PolicyFileReading =
  | { ok: true; policy: ManagedPolicy; warnings: PolicyProblem[] }
  | { ok: false; fault: 'syntax' | 'schema'; problems: PolicyProblem[] };

type Path = readonly (string | number)[];

export function readPolicyText(text: string): PolicyFileReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, fault: 'syntax', problems: syntaxProblems(text, (error as Error).message) };
  }
  const tree = parseTree(text);
  const parsed = ManagedPolicySchema.safeParse(json);
  if (parsed.success) return { ok: true, policy: parsed.data, warnings: [] };
  const unknown = parsed.error.issues.filter((i) => i.code === 'unrecognized_keys');
  const strict = typeof json === 'object' && json !== null && (json as { strict?: unknown }).strict === true;
  const unknownProblems = unknown.flatMap((i) => i.keys.map((key) => unknownKeyProblem(tree, i.path as Path, key, text)));
  if (unknown.length === parsed.error.issues.length && !strict) {
    const rest = ManagedPolicySchema.safeParse(withoutKeys(json, unknown.flatMap((i) => i.keys.map((k) => [...(i.path as Path), k]))));
    if (rest.success) return { ok: true, policy: rest.data, warnings: sortByPlace(unknownProblems) };
  }
  const others = parsed.error.issues.filter((i) => i.code !== 'unrecognized_keys').map((i) => ({ ...at(tree, i.path as Path, text), path: pathText(i.path as Path), message: i.message }));
  return { ok: false, fault: 'schema', problems: sortByPlace([...others, ...unknownProblems]) };
}

function unknownKeyProblem(tree: Node | undefined, path: Path, key: string, text: string): PolicyProblem {
  const known = knownKeysAt(ManagedPolicySchema, path);
  const near = closest(key, known);
  const value = tree ? findNodeAtLocation(tree, [...path, key]) : undefined;
  // The key itself, not its value: that is what a person has to fix.
  const keyNode = value?.parent?.children?.[0];
  const place = keyNode ? lineColumn(text, keyNode.offset) : at(tree, path, text);
  return { ...place, path: pathText([...path, key]), message: `unknown key "${key}"${near ? `; did you mean "${near}"?` : ''}` };
}

/** The place of the value at `path`, or of its nearest ancestor that is in the file (a missing key). */
function at(tree: Node | undefined, path: Path, text: string): { line?: number; column?: number } {
  for (let n = path.length; tree && n >= 0; n--) {
    const node = findNodeAtLocation(tree, [...path.slice(0, n)]);
    if (node) return lineColumn(text, node.offset);
  }
  return {};
}

function syntaxProblems(text: string, fallback: string): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  // The key path of the last value read before the error: where the reader was when it broke.
  let last: Path = [];
  const open: Path[] = [];
  const begin = (_o: number, _l: number, _sl: number, _sc: number, path: () => Path): void => {
    last = path();
    open.push(last);
  };
  const end = (): void => {
    last = open.pop() ?? [];
  };
  visit(
    text,
    {
      onObjectBegin: begin,
      onArrayBegin: begin,
      onObjectEnd: end,
      onArrayEnd: end,
      onObjectProperty: (key, _o, _l, _sl, _sc, path) => (last = [...path(), key]),
      onLiteralValue: (_v, _o, _l, _sl, _sc, path) => (last = path()),
      onError: (code, _o, _l, line, character) => {
        // The reader's follow-on complaints at the same place add nothing.
        const prev = problems.at(-1);
        if (prev?.line === line + 1 && prev.column === character + 1 && prev.path === pathText(last)) return;
        if (problems.length < 5) problems.push({ line: line + 1, column: character + 1, path: pathText(last), message: syntaxWords(printParseErrorCode(code)) });
      },
    },
    { disallowComments: true, allowTrailingComma: false },
  );
  // JSON.parse and jsonc-parser disagree on very little (a byte order mark, lone surrogates): then
  // JSON.parse's own words, without a place.
  return problems.length > 0 ? problems : [{ path: '(root)', message: fallback }];
}

/** "CommaExpected" → "comma expected". */
function syntaxWords(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** 1-based line and column (in UTF-16 units, as editors count them) of an offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** `approvals.timeoutSeconds`, `sharedFolders[0].mode`, `(root)`. */
export function pathText(path: Path): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function sortByPlace(problems: PolicyProblem[]): PolicyProblem[] {
  return problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function withoutKeys(json: unknown, paths: Path[]): unknown {
  const copy = structuredClone(json);
  for (const path of paths) {
    let node: unknown = copy;
    for (const p of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[p];
    delete (node as Record<string, unknown>)[path.at(-1) as string];
  }
  return copy;
}

/** The keys the policy's schema knows for the object at `path` (through optional, default, arrays, records). */
function knownKeysAt(schema: z.ZodType, path: Path): string[] {
  let s: z.core.$ZodType | undefined = schema;
  const step = (t: z.core.$ZodType): z.core.$ZodType => {
    const def = t._zod.def as { type: string; innerType?: z.core.$ZodType; in?: z.core.$ZodType };
    return (def.type === 'optional' || def.type === 'default' || def.type === 'prefault' || def.type === 'nullable' ? def.innerType : def.type === 'pipe' ? def.in : undefined) ?? t;
  };
  const unwrap = (t: z.core.$ZodType): z.core.$ZodType => {
    for (let u = step(t); u !== t; u = step(t)) t = u;
    return t;
  };
  for (const p of path) {
    if (!s) return [];
    const def = unwrap(s)._zod.def as { type: string; shape?: Record<string, z.core.$ZodType>; element?: z.core.$ZodType; valueType?: z.core.$ZodType };
    s = def.type === 'object' ? def.shape?.[String(p)] : def.type === 'array' ? def.element : def.type === 'record' ? def.valueType : undefined;
  }
  const def = s ? (unwrap(s)._zod.def as { type: string; shape?: Record<string, unknown> }) : undefined;
  return def?.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/** The known key a person most likely meant: ignoring case, at most a third of its letters apart. */
function closest(key: string, known: readonly string[]): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d <= Math.max(2, Math.floor(k.length / 3)) && (!best || d < best.d)) best = { key: k, d };
  }
  return best?.key;
}

/** Levenshtein distance (one row at a time). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
