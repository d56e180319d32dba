// A sentence from the core (a card's note, a decision's reason, a paused run's reason) in the
// person's language: read back into its key and parameters (shared/core-messages.ts) and translated
// when the catalogue knows the key; otherwise, and in English, the core's own words.
import { readCoreMessage } from '../../../shared/core-messages.js';
import type { I18n, MessageKey } from './translator.js';

export function translateCoreText(text: string, i18n: I18n): string {
  if (i18n.lang === 'en') return text;
  const message = readCoreMessage(text);
  if (!message) return text;
  const body = i18n.t(`core.${message.key}` as MessageKey, message.params);
  return message.lead ? i18n.t(`core.lead.${message.lead}` as MessageKey, { reason: body }) : body;
}
