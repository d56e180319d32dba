import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Claude Code hook payloads and answers in their real format (test/fixtures/claude-code, see its README). */
export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/claude-code/', import.meta.url));

export function fixtureText(rel: string): string {
  return readFileSync(`${FIXTURES_DIR}${rel}`, 'utf8');
}

export function fixture<T = Record<string, unknown>>(rel: string): T {
  return JSON.parse(fixtureText(rel)) as T;
}

/** The project folder the fixtures were recorded in. */
export const FIXTURE_PROJECT = '/Users/dana.kovac/work/payments-api';

/** A fixture moved into `projectDir` (a real folder), so scope checks see real paths. */
export function fixtureIn<T = Record<string, unknown>>(rel: string, projectDir: string): T {
  return JSON.parse(fixtureText(rel).split(FIXTURE_PROJECT).join(projectDir)) as T;
}

/** Every event in a data dir's journal, in order (whatever its segments). */
export async function journalEvents(dataDir: string): Promise<{ name: string; attributes: Record<string, unknown> }[]> {
  const { DecisionJournalService } = await import('../../electron/core/evidence/decision-journal-service.js');
  const { join } = await import('node:path');
  return new DecisionJournalService(join(dataDir, 'journal')).readAll();
}
