// What a process that has read the companion's integrity key can do: seal a state file it changed
// and append tagged journal lines. The same-user limit (docs/security.md): tests use it to check
// the guards that still hold then (journal records, sharing rules, cards rebuilt from payloads).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../../electron/core/base/index.js';
import { DecisionJournalService } from '../../electron/core/evidence/decision-journal-service.js';
import { loadOrCreateIntegrityKey, StateSealService } from '../../electron/core/integrity/index.js';

export function keyHolder(dataDir: string) {
  const { key, created } = loadOrCreateIntegrityKey(dataDir);
  if (created) throw new Error('no integrity key in this data folder yet');
  const seals = new StateSealService({ dataDir, key, trustUnsealed: false, clock: systemClock });
  return {
    /** Seals what `name` holds now, as if the core had written it. */
    reseal(name: string): void {
      seals.file(name, { watch: false }).seal(readFileSync(join(dataDir, name), 'utf8'));
    },
    journal: () => new DecisionJournalService(join(dataDir, 'journal'), { integrity: { key, checkpoint: seals.file('journal/checkpoint.json', { watch: false }), firstUse: false, sequenced: false } }),
  };
}
