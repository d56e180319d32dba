import { describe, expect, it } from 'vitest';
import { letterOf, shortcutFor, type KeyLike } from './keyboard-shortcuts.js';

const key = (k: string, mods: Partial<KeyLike> = {}): KeyLike => ({ key: k, altKey: false, ctrlKey: false, metaKey: false, shiftKey: false, ...mods });
const alt = (k: string, code?: string) => key(k, { altKey: true, ...(code ? { code } : {}) });

describe('shortcutFor', () => {
  it('answers only with a modifier, and only on a card', () => {
    expect(shortcutFor(alt('a'), 'card')).toBe('approve');
    expect(shortcutFor(alt('r'), 'in-card')).toBe('approve-run');
    expect(shortcutFor(alt('d'), 'card')).toBe('deny');
    expect(shortcutFor(key('a'), 'card')).toBeUndefined(); // plain letters never answer
    expect(shortcutFor(key('Enter'), 'in-card')).toBeUndefined(); // Enter on a button is the button's
    expect(shortcutFor(alt('a'), 'page')).toBeUndefined(); // no card chosen, nothing answered
    expect(shortcutFor(key('a', { altKey: true, ctrlKey: true }), 'card')).toBeUndefined();
  });

  it('Esc holds (never allows or denies); Enter and Space open details on the card itself', () => {
    expect(shortcutFor(key('Escape'), 'card')).toBe('hold');
    expect(shortcutFor(key('Escape'), 'in-card')).toBe('hold');
    expect(shortcutFor(key('Escape'), 'page')).toBeUndefined();
    expect(shortcutFor(key('Enter'), 'card')).toBe('details');
    expect(shortcutFor(key(' '), 'card')).toBe('details');
  });

  it('moves with j/k anywhere and with the arrows from a card', () => {
    expect(shortcutFor(key('j'), 'page')).toBe('next');
    expect(shortcutFor(key('k'), 'card')).toBe('previous');
    expect(shortcutFor(key('ArrowDown'), 'card')).toBe('next');
    expect(shortcutFor(key('ArrowUp'), 'in-card')).toBe('previous');
    expect(shortcutFor(key('ArrowDown'), 'page')).toBeUndefined(); // the page still scrolls
    expect(shortcutFor(key('J', { shiftKey: true }), 'page')).toBeUndefined();
    expect(shortcutFor(key('?', { shiftKey: true }), 'page')).toBe('help');
  });

  it('does nothing while typing in a field', () => {
    for (const k of [key('j'), key('?'), key('Escape'), alt('a'), alt('d')]) expect(shortcutFor(k, 'editable')).toBeUndefined();
  });
});

describe('letterOf', () => {
  it('reads the typed letter, or the physical key when the layout turns it into something else', () => {
    expect(letterOf({ key: 'A' })).toBe('a');
    expect(letterOf({ key: 'å', code: 'KeyA' })).toBe('a'); // macOS Option+A
    expect(letterOf({ key: 'q', code: 'KeyA' })).toBe('q'); // AZERTY: the letter typed wins
    expect(letterOf({ key: '∂', code: 'KeyD' })).toBe('d');
    expect(letterOf({ key: '1', code: 'Digit1' })).toBeUndefined();
  });
  it('maps the physical key with Alt on layouts that do not type Latin letters', () => {
    expect(shortcutFor(alt('ち', 'KeyA'), 'card')).toBe('approve');
  });
});
