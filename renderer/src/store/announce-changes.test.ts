import { describe, expect, it } from 'vitest';
import { i18nFor } from '../i18n/translator.js';
import { makeItem, makeSnapshot } from '../testing/snapshot-fixtures.js';
import { announceChanges, arrivalNotification, arrivals } from './announce-changes.js';

const bash = (id: string, command: string) => makeItem(id, 'Bash', { targets: { paths: [], command } });

describe('arrivals and notifications', () => {
  it('finds only what is new (nothing for the first snapshot)', () => {
    const one = makeSnapshot(1, [bash('a', 'ls')]);
    const two = makeSnapshot(2, [bash('a', 'ls'), bash('b', 'pwd')]);
    expect(arrivals(null, one)).toEqual([]);
    expect(arrivals(one, two).map((i) => i.id)).toEqual(['b']);
    expect(announceChanges(one, two)).toBe('New request: Bash, pwd');
  });

  it('says what arrived, clipped at the end with a visible ellipsis, hidden characters shown', () => {
    expect(arrivalNotification([])).toBeUndefined();
    expect(arrivalNotification([bash('a', 'rm -rf build\u202E')])).toEqual({ title: 'Cowork Companion: a request is waiting', body: 'Bash, rm -rf build⟨U+202E⟩' });
    const long = arrivalNotification([bash('a', `echo ${'x'.repeat(300)}`)])!;
    expect(long.body).toHaveLength(140);
    expect(long.body.endsWith('…')).toBe(true);
    const many = arrivalNotification(['a', 'b', 'c', 'd'].map((id) => bash(id, id)), i18nFor('ja'))!;
    expect(many.title).toBe('Cowork Companion: 新しいリクエスト 4 件');
    expect(many.body).toBe('Bash, a\nBash, b\nBash, c\n…');
  });
});
