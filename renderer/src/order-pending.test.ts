import { describe, it, expect } from 'vitest';
import { mergeOrder } from './order-pending.js';

describe('mergeOrder', () => {
  it('appends new ids at the end even if the core lists them first', () => {
    expect(mergeOrder(['a', 'b'], ['c', 'a', 'b'])).toEqual(['a', 'b', 'c']);
  });
  it('drops ids that are gone and keeps the rest in place', () => {
    expect(mergeOrder(['a', 'b', 'c'], ['c', 'a'])).toEqual(['a', 'c']);
  });
  it('takes the core order for a first snapshot', () => {
    expect(mergeOrder([], ['x', 'y'])).toEqual(['x', 'y']);
  });
  it('ignores duplicate ids', () => {
    expect(mergeOrder(['a'], ['a', 'b', 'b'])).toEqual(['a', 'b']);
  });
});
