// What an electron-builder failure was, read from its output: only a download that could not happen
// (no network, a blocked host) is put into words by `npm run dist`; anything else is left as it is.

/** Network failures as Node and Go (electron-builder's app-builder binary) word them. */
const NETWORK = /\b(ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|CERT_HAS_EXPIRED|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)\b|dial tcp|socket hang up|no such host|i\/o timeout/;

/**
 * @param {string} output electron-builder's stdout and stderr, in order
 * @returns {{ kind: 'electron-download' | 'tool-download', step: string, line: string } | undefined}
 *   electron-download: the Electron binary (fetched in the "packaging" step) could not be downloaded;
 *   tool-download: one of the tools electron-builder fetches for a target (fpm, wix, nsis, appimage).
 */
export function downloadFailure(output) {
  const lines = output.split(/\r?\n/);
  const failed = lines.findIndex((line) => /^\s*⨯/.test(line) && NETWORK.test(line));
  if (failed < 0) return undefined;
  const steps = lines.slice(0, failed).filter((line) => /^\s*•\s/.test(line));
  const step = (steps.at(-1) ?? '').trim().replace(/^•\s*/, '');
  const line = lines[failed].trim().replace(/^⨯\s*/, '').replace(/\s+failedTask=.*$/, '');
  return { kind: /^packaging\b/.test(step) ? 'electron-download' : 'tool-download', step, line };
}

/** @param {NonNullable<ReturnType<typeof downloadFailure>>} failure @param {string} electronVersion */
export function downloadFailureMessage(failure, electronVersion) {
  const what =
    failure.kind === 'electron-download'
      ? `the Electron ${electronVersion} binary for this platform could not be downloaded`
      : `a tool electron-builder downloads for this target could not be downloaded (step: ${failure.step || 'unknown'})`;
  return [
    `npm run dist: ${what} (${failure.line}).`,
    'The app itself was built (dist/); only the installers are missing. Run "npm run dist" on a machine that can',
    'reach github.com (or set ELECTRON_MIRROR / ELECTRON_BUILDER_BINARIES_MIRROR to a mirror, or put the files in',
    "electron-builder's cache); see README, \"Building the installers\".",
  ].join('\n');
}
