// What a policy file's text means: the policy, or the problems that make it invalid — each with the
// line, column and key path a person can find in the file. Unknown keys are warnings and the rest
// applies (a newer MDM profile may carry keys this version does not know), unless the policy says
// `"strict": true`. A misspelt key is named with the closest known one: a typo such as
// `forbidenPaths` would otherwise drop a restriction silently.
import { findNodeAtLocation, parseTree, printParseErrorCode, visit, type Node } from 'jsonc-parser';
import { z } from 'zod';
import { ManagedPolicySchema, type ManagedPolicy } from '../../../shared/managed-policy-contract.js';
import { isPlainObject, pathText, unwrapped } from '../../../shared/managed-policy-layout.js';
import type { PolicyProblem } from '../../../shared/ui-contract.js';

export type PolicyFileReading =
  | { ok: true; policy: ManagedPolicy; warnings: PolicyProblem[] }
  /** `warnings`: unknown keys, which alone would not make the file invalid (none with strict: they are problems then). */
  | { ok: false; fault: 'syntax' | 'schema'; problems: PolicyProblem[]; warnings: PolicyProblem[] };

type Path = readonly (string | number)[];

export function readPolicyText(text: string): PolicyFileReading {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // JSON.parse's words quote part of the text (which may hold a secret): only the reader's places are said.
    return { ok: false, fault: 'syntax', problems: syntaxProblems(text, 'not valid JSON text (a byte order mark or a lone surrogate, perhaps)'), warnings: [] };
  }
  const tree = parseTree(text);
  const unknown = unknownKeys(json, ManagedPolicySchema);
  const strict = isPlainObject(json) && json['strict'] === true;
  const unknownProblems = unknown.map((u) => unknownKeyProblem(tree, u, text));
  const parsed = ManagedPolicySchema.safeParse(strict ? json : withoutKeys(json, unknown.map((u) => [...u.path, u.key])));
  if (parsed.success && !(strict && unknown.length > 0)) return { ok: true, policy: parsed.data, warnings: sortByPlace(unknownProblems) };
  // zod's own complaints about unknown keys (its strict objects) are the ones listed already.
  const others = parsed.success ? [] : parsed.error.issues.filter((i) => i.code !== 'unrecognized_keys').map((i) => ({ ...at(tree, i.path as Path, text), path: pathText(i.path as Path), message: i.message }));
  return strict ? { ok: false, fault: 'schema', problems: sortByPlace([...others, ...unknownProblems]), warnings: [] } : { ok: false, fault: 'schema', problems: sortByPlace(others), warnings: sortByPlace(unknownProblems) };
}

function unknownKeyProblem(tree: Node | undefined, u: UnknownKey, text: string): PolicyProblem {
  const value = tree ? findNodeAtLocation(tree, [...u.path, u.key]) : undefined;
  // The key itself, not its value: that is what a person has to fix.
  const keyNode = value?.parent?.children?.[0];
  const place = keyNode ? lineColumn(text, keyNode.offset) : at(tree, u.path, text);
  return { ...place, path: pathText([...u.path, u.key]), message: unknownKeyMessage(u.key, u.known) };
}

/** Where the value at `path` is in a policy file's text (for problems found after reading it). */
export function placeInText(text: string, path: Path): { line?: number; column?: number } {
  return at(parseTree(text), path, text);
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
  // a general word, without a place.
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

interface UnknownKey {
  path: Path;
  key: string;
  /** The keys the schema knows in that object. */
  known: string[];
}

/** Every key of `value` the schema does not know, at any depth (zod's plain objects drop them silently). */
function unknownKeys(value: unknown, schema: z.ZodType, path: Path = []): UnknownKey[] {
  const s = unwrapped(schema);
  if (s instanceof z.ZodObject && isPlainObject(value)) {
    const shape = s.shape as Record<string, z.ZodType>;
    const known = Object.keys(shape);
    return Object.entries(value).flatMap(([k, v]) => (Object.hasOwn(shape, k) ? unknownKeys(v, shape[k]!, [...path, k]) : [{ path, key: k, known }]));
  }
  if (s instanceof z.ZodArray && Array.isArray(value)) return value.flatMap((v, i) => unknownKeys(v, s.element as z.ZodType, [...path, i]));
  if (s instanceof z.ZodRecord && isPlainObject(value)) return Object.entries(value).flatMap(([k, v]) => unknownKeys(v, s.valueType as z.ZodType, [...path, k]));
  return [];
}

/** `unknown key "forbidenPaths"; did you mean "forbiddenPaths"?`: a typo named with the key it most likely was. */
export function unknownKeyMessage(name: string, known: readonly string[], what = 'key'): string {
  const near = closestKey(name, known);
  return `unknown ${what} "${name}"${near ? `; did you mean "${near}"?` : ''}`;
}

/** The known key a person most likely meant: ignoring case, at most a third of its letters apart. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
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
