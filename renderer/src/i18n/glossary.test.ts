// One word per concept per language: the messages that name a concept use the chosen word, and no
// message anywhere uses one of its alternatives (a run is never also a "session" or a 実行).
import { describe, expect, it } from 'vitest';
import { CATALOGUES, LANGUAGES, type Language, type MessageKey } from './translator.js';

interface Term {
  /** Messages that name the concept. */
  keys: MessageKey[];
  word: Record<Language, RegExp>;
  /** Words for the same concept that must not appear in any message. */
  not: Record<Language, RegExp>;
}

const GLOSSARY: Record<string, Term> = {
  run: {
    keys: ['tabs.runs', 'run.title', 'runs.run', 'runs.list', 'card.session', 'details.sessionId', 'card.allowRun', 'rule.untilRun', 'run.pausedTitle', 'core.run.paused'],
    word: { en: /\bruns?\b/i, id: /\bsesi\b/i, ja: /セッション/ },
    not: { en: /\bsessions?\b/i, id: /\beksekusi\b|\bproses agen\b/i, ja: /実行(?:中|一覧| \{id\})|エージェントの実行|「実行」/ },
  },
  request: {
    keys: ['run.requests_other', 'announce.newMany', 'card.duplicates_other'],
    word: { en: /\brequests?\b/i, id: /\bpermintaan\b/i, ja: /リクエスト/ },
    not: { en: /\bsubmissions?\b/i, id: /\bpermohonan\b/i, ja: /要求/ },
  },
  sharedFolder: {
    keys: ['tabs.folders', 'folders.emptyTitle'],
    word: { en: /shared folder/i, id: /folder bersama/i, ja: /共有フォルダー/ },
    not: { en: /shared director/i, id: /folder yang dibagikan/i, ja: /共有フォルダ(?!ー)|共有ディレクトリ/ },
  },
  hold: {
    keys: ['card.hold', 'keys.hold'],
    word: { en: /\bhold\b/i, id: /\btahan\b/i, ja: /保留/ },
    not: { en: /\bpostpone|\bdefer/i, id: /\btunda/i, ja: /延期|保存中/ },
  },
  evidence: {
    keys: ['tabs.evidence'],
    word: { en: /\bevidence\b/i, id: /\bbukti\b/i, ja: /証跡/ },
    not: { en: /\bproofs?\b(?! of)/i, id: /\bbarang bukti\b/i, ja: /証拠/ },
  },
};

describe('glossary: one word per concept per language', () => {
  for (const [concept, term] of Object.entries(GLOSSARY)) {
    it.each(LANGUAGES)(`${concept} in %s`, (lang) => {
      const catalogue = CATALOGUES[lang] as Record<string, string | undefined>;
      for (const key of term.keys) expect(catalogue[key] ?? CATALOGUES.en[key], `${lang} ${key}`).toMatch(term.word[lang]);
      const offending = Object.entries(catalogue).filter(([, text]) => text !== undefined && term.not[lang].test(text)).map(([key]) => key);
      expect(offending, `${lang}: another word for "${concept}"`).toEqual([]);
    });
  }

  it('catches the words it is meant to catch', () => {
    expect(GLOSSARY['run']!.not.ja.test('実行一覧')).toBe(true);
    expect(GLOSSARY['run']!.not.en.test('Session id')).toBe(true);
    expect(GLOSSARY['sharedFolder']!.not.ja.test('共有フォルダを追加')).toBe(true);
    expect(GLOSSARY['sharedFolder']!.not.ja.test('共有フォルダーを追加')).toBe(false);
  });
});
