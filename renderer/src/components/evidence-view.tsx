// The Evidence view: where the record of every request and decision goes, whether it gets there, what
// waits on this computer, any loss, and whether the journal checked out at start. Collector, core and
// agent text is shown as text, never as markup.
import type { ReactNode } from 'react';
import {
  describeCollector,
  describeConfigSource,
  describeJournalCheck,
  describeLastExport,
  describeLost,
  describeNextAttempt,
  describeProtocol,
  describeQueued,
  describeRejected,
} from '../describe-evidence.js';
import { useI18n } from '../i18n/use-i18n.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { IntegrityFacts } from './integrity-facts.js';
import { JournalMeter } from './journal-meter.js';
import { SafeText } from './safe-text.js';
import { LockedBy, usePolicySets } from './locked-by.js';
import { TitledSection } from './titled-section.js';
import './evidence-chip.css';
import './evidence-view.css';

export function EvidenceView() {
  const i18n = useI18n();
  const { t } = i18n;
  const evidence = useCompanionStore((s) => s.snapshot?.evidence);
  const integrity = useCompanionStore((s) => s.snapshot?.integrity);
  const organization = useCompanionStore((s) => s.snapshot?.scope.organization?.name);
  const protocolLocked = usePolicySets('telemetry.protocol');
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(1000) + offset;
  if (!evidence || !integrity) return null;
  const collector = describeCollector(evidence, i18n);
  const next = describeNextAttempt(evidence, now, i18n);
  const lost = describeLost(evidence.lost, i18n);
  const rejected = describeRejected(evidence.rejected, i18n);
  // A journal found changed comes first, with the losses; a verified one after the journal's disk use.
  const check = describeJournalCheck(integrity.journal, i18n);
  const integrityFacts = <IntegrityFacts integrity={integrity} check={check} />;

  return (
    <TitledSection id="evidence-title" className="evidence" title={t('evidence.title')} intro={t('evidence.intro')}>

      {lost && <EvidenceAlert tone="danger" icon="✕" title={t('evidence.lostTitle', { count: evidence.lost })} body={lost} />}
      {rejected && <EvidenceAlert tone="warn" icon="!" title={t('evidence.rejectedTitle', { count: evidence.rejected })} body={rejected} />}
      {!check.ok && integrityFacts}

      <FactsGroup id="evidence-delivery" title={t('evidence.delivery')}>
        <dt>{t('evidence.collector')}</dt>
        <dd>
          <span className={`evidence-state tone-${collector.tone}`}>
            <span className="evidence-icon" aria-hidden="true">
              {collector.icon}
            </span>
            {collector.title}
          </span>
          {next && <span className="fact-note">{next}</span>}
        </dd>
        <dt>{t('evidence.waiting')}</dt>
        <dd>{describeQueued(evidence, i18n)}</dd>
        <dt>{t('evidence.lastDelivery')}</dt>
        <dd>
          {evidence.lastExportAt ? (
            <time dateTime={evidence.lastExportAt}>{describeLastExport(evidence, now, i18n)}</time>
          ) : (
            describeLastExport(evidence, now, i18n)
          )}
        </dd>
        {evidence.lastError && (
          <>
            <dt>{t('evidence.lastError')}</dt>
            <dd>
              <pre className="mono block">
                <SafeText text={evidence.lastError} multiline />
              </pre>
            </dd>
          </>
        )}
      </FactsGroup>

      <FactsGroup id="evidence-destination" title={t('evidence.destination')}>
        <dt>{t('evidence.sendsTo')}</dt>
        <dd>
          <code className="mono fact-code">
            <SafeText text={evidence.endpoint} />
          </code>
        </dd>
        <dt>{t('evidence.protocol')}</dt>
        <dd>
          <code className="mono">{evidence.protocol}</code>
          <span className="fact-note">{describeProtocol(evidence.protocol, i18n)}</span>
          {protocolLocked && <LockedBy policyKey="telemetry.protocol" />}
        </dd>
        <dt>{t('evidence.setting')}</dt>
        <dd>
          {evidence.configSource === 'policy' ? <LockedBy policyKey="telemetry.endpoint" /> : <span>{describeConfigSource(evidence.configSource, organization, i18n)}</span>}
        </dd>
      </FactsGroup>

      <JournalMeter evidence={evidence} />
      {check.ok && integrityFacts}
    </TitledSection>
  );
}

/** A loss or refusal the person must know about; the role makes a loss announced as it happens. */
function EvidenceAlert({ tone, icon, title, body }: { tone: 'danger' | 'warn'; icon: string; title: string; body: string }) {
  return (
    <div className={`evidence-alert tone-${tone}`} role={tone === 'danger' ? 'alert' : undefined}>
      <p className="evidence-alert-title">
        <span aria-hidden="true">{icon} </span>
        {title}
      </p>
      <p>{body}</p>
    </div>
  );
}

/** A titled group of label/value facts (the children are its dt/dd pairs). */
function FactsGroup({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <div className="evidence-card panel" role="group" aria-labelledby={id}>
      <h3 id={id} className="evidence-card-title">
        {title}
      </h3>
      <dl className="facts pairs">{children}</dl>
    </div>
  );
}
