// The Evidence view: where the record of every request and decision goes, whether it gets there, what
// waits on this computer, and any loss. Collector and agent text is shown as text, never as markup.
import {
  describeCollector,
  describeConfigSource,
  describeLastExport,
  describeLost,
  describeNextAttempt,
  describeProtocol,
  describeQueued,
  describeRejected,
} from '../describe-evidence.js';
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { JournalMeter } from './journal-meter.js';
import { SafeText } from './safe-text.js';

export function EvidenceView() {
  const evidence = useCompanionStore((s) => s.snapshot?.evidence);
  const organization = useCompanionStore((s) => s.snapshot?.scope.organization?.name);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(1000) + offset;
  if (!evidence) return null;
  const collector = describeCollector(evidence);
  const next = describeNextAttempt(evidence, now);
  const lost = describeLost(evidence.lost);
  const rejected = describeRejected(evidence.rejected);

  return (
    <section className="evidence" aria-labelledby="evidence-title">
      <h2 id="evidence-title" className="section-title">
        Evidence
      </h2>
      <p className="section-intro">
        Every approval request, decision and change to shared folders is written to this computer first, then sent to the collector.
      </p>

      {lost && (
        <div className="evidence-alert tone-danger" role="alert">
          <p className="evidence-alert-title">
            <span aria-hidden="true">✕ </span>Evidence lost: {evidence.lost.toLocaleString('en-US')}
          </p>
          <p>{lost}</p>
        </div>
      )}
      {rejected && (
        <div className="evidence-alert tone-warn">
          <p className="evidence-alert-title">
            <span aria-hidden="true">! </span>Rejected by the collector: {evidence.rejected.toLocaleString('en-US')}
          </p>
          <p>{rejected}</p>
        </div>
      )}

      <div className="evidence-card" role="group" aria-labelledby="evidence-delivery">
        <h3 id="evidence-delivery" className="evidence-card-title">
          Delivery
        </h3>
        <dl className="facts">
          <dt>Collector</dt>
          <dd>
            <span className={`evidence-state tone-${collector.tone}`}>
              <span className="evidence-icon" aria-hidden="true">
                {collector.icon}
              </span>
              {collector.title}
            </span>
            {next && <span className="fact-note">{next}</span>}
          </dd>
          <dt>Waiting</dt>
          <dd>{describeQueued(evidence)}</dd>
          <dt>Last delivery</dt>
          <dd>
            {evidence.lastExportAt ? (
              <time dateTime={evidence.lastExportAt}>{describeLastExport(evidence, now)}</time>
            ) : (
              describeLastExport(evidence, now)
            )}
          </dd>
          {evidence.lastError && (
            <>
              <dt>Last error</dt>
              <dd>
                <pre className="mono block">
                  <SafeText text={evidence.lastError} multiline />
                </pre>
              </dd>
            </>
          )}
        </dl>
      </div>

      <div className="evidence-card" role="group" aria-labelledby="evidence-destination">
        <h3 id="evidence-destination" className="evidence-card-title">
          Destination
        </h3>
        <dl className="facts">
          <dt>Sends to</dt>
          <dd>
            <code className="mono fact-code">
              <SafeText text={evidence.endpoint} />
            </code>
          </dd>
          <dt>Protocol</dt>
          <dd>
            <code className="mono">{evidence.protocol}</code>
            <span className="fact-note">{describeProtocol(evidence.protocol)}</span>
          </dd>
          <dt>Setting</dt>
          <dd>
            <span>
              {evidence.configSource === 'policy' && <span aria-hidden="true">🔒 </span>}
              {describeConfigSource(evidence.configSource, organization)}
            </span>
          </dd>
        </dl>
      </div>

      <JournalMeter evidence={evidence} />
    </section>
  );
}
