// Everything the core knows about one request, on demand (Enter on the card or "Details").
import type { ApprovalItem } from '../../../shared/ui-contract.js';
import { useI18n } from '../i18n/use-i18n.js';
import { formatDateTime } from '../format-time.js';
import { SafeText } from './safe-text.js';
import './approval-details.css';

export function ApprovalDetails({ item, id }: { item: ApprovalItem; id: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const time = (iso: string) => formatDateTime(iso, i18n);
  return (
    <dl className="facts pairs card-details" id={id}>
      <dt>{t('details.hookEvent')}</dt>
      <dd><code className="mono">{item.hookEvent}</code></dd>
      <dt>{t('details.sessionId')}</dt>
      <dd><code className="mono fact-code"><SafeText text={item.sessionId} /></code></dd>
      {item.promptId && (
        <>
          <dt>{t('details.promptId')}</dt>
          <dd><code className="mono fact-code"><SafeText text={item.promptId} /></code></dd>
        </>
      )}
      {item.toolUseId && (
        <>
          <dt>{t('details.toolUseId')}</dt>
          <dd><code className="mono fact-code"><SafeText text={item.toolUseId} /></code></dd>
        </>
      )}
      <dt>{t('details.contentHash')}</dt>
      <dd><code className="mono">{item.contentHash}</code></dd>
      <dt>{t('details.receivedAt')}</dt>
      <dd><time dateTime={item.receivedAt}>{time(item.receivedAt)}</time></dd>
      <dt>{t('details.expiresAt')}</dt>
      <dd><time dateTime={item.expiresAt}>{time(item.expiresAt)}</time></dd>
    </dl>
  );
}
