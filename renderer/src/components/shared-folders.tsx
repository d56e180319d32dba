// The scope: folders agents may touch (everything else is out of scope), who set them, and the
// locations no agent may ever reach.
import { useCompanionStore } from '../store/companion-store.js';
import { useNow } from '../use-now.js';
import { AddFolderForm } from './add-folder-form.js';
import { SafeText } from './safe-text.js';
import { SharedFolderRow } from './shared-folder-row.js';

export function SharedFolders() {
  const scope = useCompanionStore((s) => s.snapshot?.scope);
  const offset = useCompanionStore((s) => s.clockOffsetMs);
  const now = useNow(30_000) + offset;
  if (!scope) return null;
  const org = scope.organization;

  return (
    <section className="folders" aria-labelledby="folders-title">
      <h2 id="folders-title" className="section-title">
        Shared folders
      </h2>
      <p className="section-intro">Agents may work only inside these folders. Anything outside them is blocked or asks you first.</p>
      {scope.policyError && (
        <div className="banner banner-warn" role="alert">
          <strong>The managed policy could not be read.</strong> Nothing is allowed automatically until it is fixed. (
          <SafeText text={scope.policyError} />)
        </div>
      )}
      {org && (
        <p className="managed-by">
          <span aria-hidden="true">🔒 </span>
          Some settings are managed by {org.name}
          {org.contact ? ` — contact ${org.contact}` : ''}.
        </p>
      )}

      {scope.folders.length === 0 ? (
        <div className="empty">
          <p className="empty-title">No folders shared yet</p>
          <p className="empty-hint">Until you share one, agents cannot read or change your files.</p>
        </div>
      ) : (
        <ul className="folder-list">
          {scope.folders.map((f) => (
            <SharedFolderRow key={f.path} folder={f} now={now} />
          ))}
        </ul>
      )}

      {scope.allowUserFolders ? (
        <AddFolderForm allowedRoots={scope.allowedRoots} />
      ) : (
        <p className="managed-by">Your organisation manages which folders are shared.</p>
      )}

      {scope.forbidden.length > 0 && (
        <details className="forbidden">
          <summary>Protected locations ({scope.forbidden.length}) — never reachable by an agent</summary>
          <ul>
            {scope.forbidden.map((f) => (
              <li key={f.path}>
                <code className="mono">
                  <SafeText text={f.path} />
                </code>
                <span className="forbidden-reason">{f.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {scope.policySource && <p className="policy-source">Policy: {scope.policySource}</p>}
    </section>
  );
}
