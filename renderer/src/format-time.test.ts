import { describe, it, expect } from 'vitest';
import { formatAge, formatDuration, formatIn, formatTimeLeft } from './format-time.js';
import { EN, i18nFor } from './i18n/translator.js';

describe('formatAge', () => {
  it('counts seconds, minutes, hours and days', () => {
    expect(formatAge(0, 400)).toBe('just now');
    expect(formatAge(0, 12_400)).toBe('12 s ago');
    expect(formatAge(0, 125_000)).toBe('2 min 05 s ago');
    expect(formatAge(0, 3_600_000 * 3 + 60_000 * 7)).toBe('3 h 07 min ago');
    expect(formatAge(0, 3_600_000 * 50)).toBe('2 d 2 h ago');
  });
  it('says a whole number of hours or days without a zero after it', () => {
    expect(formatDuration(3_600_000 * 24)).toBe('1 d');
    expect(formatDuration(3_600_000 * 3)).toBe('3 h');
    expect(formatDuration(3_600_000 * 24, i18nFor('ja'))).toBe('1 日');
    expect(formatDuration(3_600_000 * 48 + 59_000)).toBe('2 d');
  });
  it('never goes negative when clocks disagree', () => {
    expect(formatAge(10_000, 0)).toBe('just now');
  });
});

describe('formatTimeLeft', () => {
  it('counts down and stops at the deadline', () => {
    expect(formatTimeLeft(20_000, 0)).toBe('20 s left, then denied');
    expect(formatTimeLeft(600_000, 0, EN, 'hold')).toBe('10 min 00 s left, then held for you');
    expect(formatTimeLeft(1_000, 1_000)).toBeUndefined();
    expect(formatTimeLeft(1_000, 5_000)).toBeUndefined();
  });
});

describe('formatIn', () => {
  it('says how long until something scheduled, and "now" once it is due', () => {
    expect(formatIn(25_000, 0)).toBe('in 25 s');
    expect(formatIn(90_000, 0)).toBe('in 1 min 30 s');
    expect(formatIn(500, 0)).toBe('now');
    expect(formatIn(0, 5_000)).toBe('now');
  });
});

describe('in Japanese and Indonesian', () => {
  it('uses the language\'s units and word order', () => {
    expect(formatTimeLeft(125_000, 0, i18nFor('ja'))).toBe('残り 2 分 05 秒（その後は拒否）');
    expect(formatAge(0, 12_400, i18nFor('ja'))).toBe('12 秒前');
    expect(formatIn(25_000, 0, i18nFor('ja'))).toBe('25 秒後');
    expect(formatTimeLeft(20_000, 0, i18nFor('id'))).toBe('sisa 20 dtk, lalu ditolak');
    expect(formatAge(0, 3_600_000 * 3 + 60_000 * 7, i18nFor('id'))).toBe('3 jam 07 mnt yang lalu');
    expect(formatAge(0, 400, i18nFor('id'))).toBe('baru saja');
  });
});
