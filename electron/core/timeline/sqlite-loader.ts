// Node's built-in SQLite (`node:sqlite`), loaded once. Node 22 prints an ExperimentalWarning when the
// module loads: a CLI whose stderr people and scripts read must not carry it, yet every other warning
// (deprecations, other experiments) must still show. So only that one warning is dropped, and only
// while the module loads; a createRequire load also keeps bundlers from resolving `node:sqlite`.
import { createRequire } from 'node:module';

export type Sqlite = typeof import('node:sqlite');

let loaded: Sqlite | undefined;

const isSqliteWarning = (warning: unknown, typeOrOptions: unknown): boolean => {
  const type = typeof typeOrOptions === 'string' ? typeOrOptions : (typeOrOptions as { type?: string } | undefined)?.type;
  const text = warning instanceof Error ? warning.message : String(warning);
  return (type === 'ExperimentalWarning' || (warning instanceof Error && warning.name === 'ExperimentalWarning')) && /^SQLite\b/.test(text);
};

export function loadSqlite(): Sqlite {
  if (loaded) return loaded;
  const emit = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    if (isSqliteWarning(warning, rest[0])) return;
    return (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    loaded = createRequire(import.meta.url)('node:sqlite') as Sqlite;
  } catch (error) {
    throw new Error(`the timeline needs Node's built-in SQLite (node:sqlite, Node 22.13 or later; this is ${process.version}): ${(error as Error).message}`, { cause: error });
  } finally {
    process.emitWarning = emit;
  }
  return loaded;
}
