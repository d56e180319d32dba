// IT's policy file is broken, not trusted, or has keys this version ignores: said at the top of every
// view (under the integrity banner), with what the core does meanwhile and where each problem is.
// Nothing to dismiss: it goes when the file is fixed (the core checks it every 2 s).
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { PolicyFacts } from './policy-facts.js';
import './policy-banner.css';

export function PolicyBanner() {
  const { t } = useI18n();
  const view = useCompanionStore((s) => s.snapshot?.policy);
  if (!view || view.state === 'ok' || view.state === 'none') return null;
  const serious = view.state !== 'warnings';
  return (
    <section className={`policy-banner banner ${serious ? 'policy-banner-serious' : 'banner-warn'}`} role={serious ? 'alert' : 'status'} aria-labelledby="policy-banner-title" data-testid="policy-banner">
      <h2 id="policy-banner-title" className="policy-banner-title">
        <span aria-hidden="true">⚠ </span>
        {t(`policy.title.${view.state}`)}
      </h2>
      <PolicyFacts view={view} />
      {serious && <p className="policy-advice">{t('policy.advice')}</p>}
    </section>
  );
}
