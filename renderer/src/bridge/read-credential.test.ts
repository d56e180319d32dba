import { describe, it, expect, vi } from 'vitest';
import { takeFragmentToken } from './read-credential.js';

describe('takeFragmentToken', () => {
  it('reads the token and removes the fragment from the address bar', () => {
    const replaceState = vi.fn();
    const token = takeFragmentToken({ hash: '#token=abc-123_XYZ', pathname: '/ui/', search: '?x=1' }, { replaceState });
    expect(token).toBe('abc-123_XYZ');
    expect(replaceState).toHaveBeenCalledWith(null, '', '/ui/?x=1');
  });

  it('keeps base64 characters and reads the token among other parameters', () => {
    const replaceState = vi.fn();
    expect(takeFragmentToken({ hash: '#a=1&token=ab+c/d%3D', pathname: '/', search: '' }, { replaceState })).toBe('ab+c/d=');
  });

  it('returns undefined without a fragment and leaves history alone', () => {
    const replaceState = vi.fn();
    expect(takeFragmentToken({ hash: '', pathname: '/', search: '' }, { replaceState })).toBeUndefined();
    expect(replaceState).not.toHaveBeenCalled();
  });

  it('clears a fragment without a usable token', () => {
    const replaceState = vi.fn();
    expect(takeFragmentToken({ hash: '#token=', pathname: '/', search: '' }, { replaceState })).toBeUndefined();
    expect(takeFragmentToken({ hash: '#other=1', pathname: '/', search: '' }, { replaceState })).toBeUndefined();
    expect(replaceState).toHaveBeenCalledTimes(2);
  });
});
