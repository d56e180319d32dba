// Shown when this window has no usable credential (after a reload: it lives only in memory; or
// when the link was already used: each link works once).
export function CredentialNotice({ rejected = false }: { rejected?: boolean }) {
  return (
    <div className="notice" role="alert">
      <h2 className="notice-title">{rejected ? 'This address was already used or has expired' : 'This window is not connected'}</h2>
      <p>
        Open the address printed by <code className="mono">cowork-companion serve</code> (it carries this window’s credential). Each
        address works once: press Enter in the terminal running <code className="mono">serve</code> for a new one.
      </p>
      <p className="notice-hint">
        For your safety the credential is kept only in memory and the address stops working once used, because browsers keep
        visited addresses in files that agent tools could read.
      </p>
    </div>
  );
}
