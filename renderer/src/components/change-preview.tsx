// What a request would change, on its card: the diff against the file as it is now (first lines, the
// whole diff on request; both asked of the core once the card is drawn), each edit Claude Code would fail, a notebook cell, or what the
// agent said with the call (Bash description, WebFetch prompt, MCP arguments). Everything here comes
// from the agent or the file: always through SafeText, so hidden characters stay visible.
import { memo, useEffect, useId, useState } from 'react';
import { type ChangePreview as Preview, type DiffHunk, type EditCheck, type FileDiff } from '../../../shared/change-preview-contract.js';
import { numberLines } from '../../../shared/diff-lines.js';
import type { ApprovalItem } from '../../../shared/ui-contract.js';
import { formatBytes } from '../describe-evidence.js';
import { useI18n } from '../i18n/use-i18n.js';
import { hasInvisible } from '../reveal-invisible.js';
import { useCompanionStore } from '../store/companion-store.js';
import { CommandBlock } from './command-block.js';
import { ErrorNote } from './error-note.js';
import { SafeText } from './safe-text.js';
import './change-preview.css';

type FileChange = Extract<Preview, { kind: 'file-change' }>;

/** Agent-written text in a preview has hidden characters (the card warns, as for commands). */
export function previewHasInvisible(preview: Preview | undefined): boolean {
  if (!preview) return false;
  const texts: string[] =
    preview.kind === 'bash' ? [preview.description]
    : preview.kind === 'web-fetch' ? [preview.prompt]
    : preview.kind === 'notebook' ? [preview.source, preview.cellId ?? '']
    : preview.kind === 'mcp' ? preview.args.flatMap((a) => [a.key, a.value])
    : [...(preview.edits ?? []).flatMap((e) => [e.oldString, e.newString]), preview.content ?? '', ...(preview.diff?.hunks ?? []).flatMap((h) => h.lines.filter((l) => l[0] === '+'))];
  return texts.some((s) => hasInvisible(s, { multiline: true }));
}

/** A snapshot says a card has a preview (and its revision); the card, once drawn, asks for it. */
export const ChangePreview = memo(function ChangePreview({ item }: { item: ApprovalItem }) {
  const i18n = useI18n();
  const call = useCompanionStore((s) => s.call);
  const [loaded, setLoaded] = useState<{ revision: string; preview: Preview | undefined } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const revision = item.preview?.revision;
  useEffect(() => {
    if (revision === undefined) return;
    let current = true;
    setError(undefined);
    call('changePreview', { id: item.id, contentHash: item.contentHash })
      .then(({ preview }) => current && setLoaded({ revision, preview }))
      .catch((e: Error) => current && setError(e.message));
    return () => {
      current = false;
    };
  }, [call, item.id, item.contentHash, revision]);
  if (revision === undefined) return null;
  // What was loaded for an older revision stays on screen until the new one comes (no flicker).
  if (!loaded) return error ? <ErrorNote>{error}</ErrorNote> : <p className="preview-note">{i18n.t('preview.loadingFirst')}</p>;
  return (
    <>
      {previewHasInvisible(loaded.preview) && <p className="card-warning callout">{i18n.t('card.hiddenWarning')}</p>}
      {loaded.preview && <PreviewView preview={loaded.preview} item={item} />}
      <ErrorNote>{error}</ErrorNote>
    </>
  );
});

function PreviewView({ preview, item }: { preview: Preview; item: ApprovalItem }) {
  const { t } = useI18n();
  switch (preview.kind) {
    case 'file-change':
      return <FileChangeView preview={preview} item={item} />;
    case 'notebook':
      return (
        <dl className="pairs change-preview" data-testid="change-preview">
          <dt>{t('preview.mode')}</dt>
          <dd>{t(`preview.mode.${preview.mode}`)}</dd>
          {preview.cellId !== undefined && (
            <>
              <dt>{t('preview.cell')}</dt>
              <dd><code className="mono"><SafeText text={preview.cellId} /></code></dd>
            </>
          )}
          {preview.cellType !== undefined && (
            <>
              <dt>{t('preview.cellType')}</dt>
              <dd><code className="mono"><SafeText text={preview.cellType} /></code></dd>
            </>
          )}
          {preview.mode !== 'delete' && (
            <>
              <dt>{t('preview.cellSource')}</dt>
              <dd><CommandBlock command={preview.source} /></dd>
            </>
          )}
        </dl>
      );
    case 'bash':
    case 'web-fetch':
      return (
        <dl className="pairs change-preview" data-testid="change-preview">
          <dt>
            {t(preview.kind === 'bash' ? 'preview.description' : 'preview.prompt')} <span className="untrusted-note">{t('preview.agentWrote')}</span>
          </dt>
          <dd><CommandBlock command={preview.kind === 'bash' ? preview.description : preview.prompt} prose /></dd>
        </dl>
      );
    case 'mcp':
      return (
        <div className="change-preview" data-testid="change-preview">
          {preview.args.length === 0 ? (
            <p className="preview-note">{t('preview.noArguments')}</p>
          ) : (
            <table className="mcp-args">
              <caption>{t('preview.arguments')} <span className="untrusted-note">{t('preview.agentWrote')}</span></caption>
              <thead>
                <tr><th scope="col">{t('preview.argName')}</th><th scope="col">{t('preview.argValue')}</th></tr>
              </thead>
              <tbody>
                {preview.args.map((a, i) => (
                  <tr key={i}>
                    <th scope="row"><code className="mono"><SafeText text={a.key} /></code></th>
                    <td>{a.json ? <CommandBlock command={a.value} /> : <span className="mcp-value"><SafeText text={a.value} multiline /></span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      );
  }
}

function FileChangeView({ preview, item }: { preview: FileChange; item: ApprovalItem }) {
  const i18n = useI18n();
  const { t } = i18n;
  const edits = preview.edits ?? [];
  const fails = edits.some((e) => e.status !== 'ok' && e.status !== 'unchecked');
  return (
    <section className="change-preview file-change" data-testid="change-preview" aria-label={t('preview.change')}>
      <p className="preview-head">
        {preview.file === 'new' && <span className="badge badge-new">{t('preview.newFile')}</span>}
        {preview.file === 'existing' && preview.diff && <span>{t('preview.againstDisk')}</span>}
        {preview.diff && <span className="diff-counts">{t('preview.counts', { added: preview.diff.added, removed: preview.diff.removed })}</span>}
      </p>
      {preview.crlf && <p className="preview-note">{t('preview.crlf')}</p>}
      {preview.unread && (
        <p className="preview-note callout">
          {preview.unread === 'too-large' ? t('preview.unread.too-large', { size: formatBytes(preview.size ?? 0, i18n) }) : t(`preview.unread.${preview.unread}`)}
        </p>
      )}
      {fails && <p className="preview-fails callout">{t('preview.callFails')}</p>}
      {preview.diff && <DiffView diff={preview.diff} item={item} />}
      {edits.length > 0 && (!preview.diff || edits.some((e) => e.occurrences !== undefined)) && (
        <ol className="edit-checks">
          {edits.map((e, i) => (
            <EditCheckView key={i} edit={e} index={i} numbered={edits.length > 1} fileIsNew={preview.file === 'new'} withStrings={!preview.diff} />
          ))}
        </ol>
      )}
      {preview.content !== undefined && !preview.diff && (
        <dl className="pairs">
          <dt>{t('preview.content')}</dt>
          <dd><CommandBlock command={preview.content} /></dd>
        </dl>
      )}
    </section>
  );
}

function EditCheckView({ edit, index, numbered, fileIsNew, withStrings }: { edit: EditCheck; index: number; numbered: boolean; fileIsNew: boolean; withStrings: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const status =
    edit.status === 'ok' ? (edit.occurrences !== undefined ? i18n.plural('preview.replaceAll', edit.occurrences) : undefined)
    : edit.status === 'ambiguous' ? t('preview.status.ambiguous', { count: edit.occurrences ?? 0 })
    : edit.status === 'not-found' && fileIsNew ? t('preview.status.noFile')
    : t(`preview.status.${edit.status}`);
  return (
    <li className={`edit-check edit-${edit.status}`} data-testid="edit-check">
      {numbered && <span className="edit-number">{t('preview.edit', { n: index + 1 })} </span>}
      {status && <span className="edit-status">{status}</span>}
      {withStrings && (
        <dl className="pairs edit-strings">
          <dt>{t('preview.oldString')}</dt>
          <dd><CommandBlock command={edit.oldString} /></dd>
          <dt>{t('preview.newString')}</dt>
          <dd><CommandBlock command={edit.newString} /></dd>
        </dl>
      )}
    </li>
  );
}

/** The card's first lines; the whole diff is asked of the core when the person wants it. */
function DiffView({ diff, item }: { diff: FileDiff; item: ApprovalItem }) {
  const i18n = useI18n();
  const id = useId();
  const call = useCompanionStore((s) => s.call);
  const [whole, setWhole] = useState<FileDiff | undefined>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // A new preview (the file changed on disk) makes a loaded whole diff stale.
  useEffect(() => {
    setWhole(undefined);
    setError(undefined);
  }, [diff]);
  const more = diff.totalLines - diff.shownLines;
  const showWhole = async (): Promise<void> => {
    setLoading(true);
    setError(undefined);
    try {
      const { preview } = await call('changePreview', { id: item.id, contentHash: item.contentHash, whole: true });
      if (preview?.kind === 'file-change' && preview.diff) setWhole(preview.diff);
      else setError(i18n.t('preview.wholeGone'));
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  };
  const shown = whole ?? diff;
  return (
    <>
      <div id={id} className="diff mono" role="table" aria-label={i18n.t('preview.diffLabel')} aria-rowcount={shown.shownLines}>
        {shown.hunks.map((h, i) => (
          <HunkView key={i} hunk={h} first={i === 0} />
        ))}
      </div>
      {!whole && more > 0 && <p className="command-more">{i18n.plural('preview.moreLines', more)}</p>}
      {more > 0 && (
        <button type="button" className="btn-link" aria-expanded={whole !== undefined} aria-controls={id} disabled={loading} onClick={() => (whole ? setWhole(undefined) : void showWhole())}>
          {loading ? i18n.t('preview.loading') : whole ? i18n.t('preview.showFirst') : i18n.plural('preview.showWhole', diff.totalLines)}
        </button>
      )}
      <ErrorNote>{error}</ErrorNote>
    </>
  );
}

const SIGN = { ' ': ' ', '-': '−', '+': '+' } as const;
const OP_CLASS = { ' ': 'diff-ctx', '-': 'diff-del', '+': 'diff-add' } as const;

function HunkView({ hunk, first }: { hunk: DiffHunk; first: boolean }) {
  const { t } = useI18n();
  return (
    <>
      {!first && (
        <div className="diff-gap" role="row">
          <span role="cell">⋯</span>
        </div>
      )}
      {numberLines(hunk).map((l, i) => (
        <div key={i} className={`diff-line ${OP_CLASS[l.op]}`} role="row">
          <span className="diff-num" role="cell">{l.oldLine ?? ''}</span>
          <span className="diff-num" role="cell">{l.newLine ?? ''}</span>
          <span className="diff-sign" role="cell" aria-label={l.op === '+' ? t('preview.added') : l.op === '-' ? t('preview.removed') : undefined}>{SIGN[l.op]}</span>
          <span className="diff-text" role="cell">
            <SafeText text={l.text} multiline />
            {l.noEol && <span className="diff-noeol">{t('preview.noEol')}</span>}
          </span>
        </div>
      ))}
    </>
  );
}
