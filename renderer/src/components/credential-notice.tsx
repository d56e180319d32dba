// Shown when this window has no usable credential (after a reload: it lives only in memory; or
// when the link was already used: each link works once).
import { richText } from '../i18n/rich-text.js';
import { useI18n } from '../i18n/use-i18n.js';
import './credential-notice.css';

export function CredentialNotice({ rejected = false }: { rejected?: boolean }) {
  const { t, template } = useI18n();
  return (
    <div className="notice" role="alert">
      <h2 className="notice-title">{t(rejected ? 'credential.rejectedTitle' : 'credential.missingTitle')}</h2>
      <p>
        {richText(template('credential.howTo'), {
          serve: <code className="mono">cowork-companion serve</code>,
          serveShort: <code className="mono">serve</code>,
        })}
      </p>
      <p className="notice-hint">{t('credential.safety')}</p>
    </div>
  );
}
