// "Always allow…" / "Always deny…": the rule this request proposes, editable before it is saved, with
// one sentence saying exactly what it will do. Saving approves (an allow rule) or denies (a deny or
// "ask me every time" rule, the person's choice) the request and keeps the rule.
import { useEffect, useId, useState, type FormEvent, type KeyboardEvent } from 'react';
import { matchKindsFor } from '../../../shared/tool-catalogue.js';
import type { RuleShape, RuleMatch } from '../../../shared/ui-contract.js';
import { cleanDraft, describeRule, draftProblem, matchValue, switchKind, withKind, type KindValues } from '../describe-rule.js';
import { useI18n } from '../i18n/use-i18n.js';
import { SafeText } from './safe-text.js';
import './rule-editor.css';

export interface RuleEditorProps {
  proposed: RuleShape;
  /** Shared folders the rule may be limited to. */
  folders: readonly string[];
  disabled: boolean;
  /** Id of the card title, so the buttons say which request they answer. */
  describedBy: string;
  onSave(rule: RuleShape): void;
  onCancel(): void;
  /** "Always deny…": the editor offers deny or ask every time, and saving denies the request. */
  denying?: boolean;
}

export function RuleEditor({ proposed, folders, disabled, describedBy, onSave, onCancel, denying = false }: RuleEditorProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const ids = { title: useId(), kind: useId(), value: useId(), folder: useId(), sentence: useId(), effect: useId() };
  const [draft, setDraft] = useState<RuleShape>(() => ({ ...proposed, effect: denying ? 'deny' : 'allow' }));
  const [values, setValues] = useState<KindValues>({});
  // Only kinds that can cover a call of this tool (the core refuses the others).
  const kinds = matchKindsFor(proposed.toolName);
  // The person just chose "Always allow…", so moving focus into the editor is expected: to what
  // matters most, the path, command prefix or domain.
  useEffect(() => (document.getElementById(ids.value) ?? document.getElementById(ids.kind))?.focus(), [ids.value, ids.kind]);

  const problem = draftProblem(draft);
  const clean = cleanDraft(draft);
  const folderChoices = [...new Set([...folders, ...(proposed.folder ? [proposed.folder] : [])])];
  const kind = draft.match.kind;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!disabled && !problem) onSave(clean);
  };
  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onCancel();
    }
  };

  return (
    <form className="rule-editor" aria-labelledby={ids.title} onSubmit={submit} onKeyDown={onKeyDown}>
      <h5 id={ids.title} className="rule-editor-title">
        {t(denying ? 'editor.titleDeny' : 'editor.title')}
      </h5>
      <p className="field-hint">{t(denying ? 'editor.introDeny' : 'editor.intro')}</p>
      {denying && (
        <SelectField
          id={ids.effect}
          label={t('editor.effect')}
          value={draft.effect ?? 'deny'}
          options={(['deny', 'ask'] as const).map((e) => ({ value: e, label: t(`editor.effect.${e}`) }))}
          onChange={(value) => setDraft({ ...draft, effect: value as 'deny' | 'ask' })}
        />
      )}
      <div className="field-pair">
        <div className="field">
          <span className="field-label">{t('editor.tool')}</span>
          {/* The core keeps a rule to the tool of the request it was made from. */}
          <code className="mono rule-editor-tool">
            <SafeText text={draft.toolName} />
          </code>
        </div>
        {kinds.length > 1 ? (
          <SelectField
            id={ids.kind}
            label={t('editor.kind')}
            value={kind}
            options={kinds.map((k) => ({ value: k, label: t(`editor.kind.${k}`) }))}
            onChange={(value) => {
              const next = switchKind(draft, value as RuleMatch['kind'], values);
              setDraft(next.draft);
              setValues(next.values);
            }}
          />
        ) : (
          <div className="field">
            <span className="field-label">{t('editor.kind')}</span>
            <span className="rule-editor-tool">{t(`editor.kind.${kind}`)}</span>
          </div>
        )}
      </div>
      {kind !== 'any' && (
        <div className="field">
          <label htmlFor={ids.value}>{t(`editor.value.${kind}`)}</label>
          <input
            id={ids.value}
            className="input mono"
            value={matchValue(draft.match)}
            maxLength={kind === 'path-prefix' ? 4096 : kind === 'domain' ? 253 : 2000}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setDraft({ ...draft, match: withKind(kind, e.target.value) })}
          />
        </div>
      )}
      <SelectField
        id={ids.folder}
        label={t('editor.folder')}
        mono
        value={draft.folder ?? ''}
        options={[{ value: '', label: t('editor.anyFolder') }, ...folderChoices.map((f) => ({ value: f, label: f }))]}
        onChange={(value) => {
          const { folder: _old, ...rest } = draft;
          setDraft(value ? { ...rest, folder: value } : rest);
        }}
      />
      {kind === 'any' && !denying && (
        <p className="rule-editor-warning callout" data-testid="rule-warning-any">
          <SafeText text={t('editor.warnAny', { tool: draft.toolName })} />
        </p>
      )}
      {!draft.folder && !denying && (
        <p className="rule-editor-warning callout" data-testid="rule-warning-folder">
          {t('editor.warnAnyFolder')}
        </p>
      )}
      <p id={ids.sentence} className="grant-sentence callout" aria-live="polite">
        {problem ? t('editor.missing', { field: t(problem === 'tool' ? 'editor.tool' : `editor.value.${problem}`) }) : describeRule(clean, 'always', i18n)}
      </p>
      <div className="card-actions">
        <button type="submit" className={`btn ${denying ? 'btn-deny-confirm' : 'btn-approve'}`} disabled={disabled || problem !== undefined} aria-describedby={`${ids.sentence} ${describedBy}`}>
          {t(denying ? 'editor.saveDeny' : 'editor.save')}
        </button>
        <button type="button" className="btn btn-hold" onClick={onCancel}>
          {t('editor.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A labelled choice; `mono` shows the options as code (paths). */
function SelectField(p: { id: string; label: string; value: string; options: { value: string; label: string }[]; mono?: boolean; onChange(value: string): void }) {
  return (
    <div className="field">
      <label htmlFor={p.id}>{p.label}</label>
      <select id={p.id} className={p.mono ? 'select mono-options' : 'select'} value={p.value} onChange={(e) => p.onChange(e.target.value)}>
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}
