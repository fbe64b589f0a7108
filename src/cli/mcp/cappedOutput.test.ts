import { describe, expect, it } from 'vitest';
import { CappedOutput } from './cappedOutput.js';

describe('CappedOutput', () => {
  it('keeps everything up to the cap, in any chunking', () => {
    const o = new CappedOutput(10);
    for (const c of ['abc', 'defg', 'hij']) o.push(Buffer.from(c));
    expect(o.text()).toBe('abcdefghij');
    expect(o.cut).toBe(0);
  });

  it('keeps the first and last half of the cap and says how much was cut', () => {
    const o = new CappedOutput(10);
    const all = 'ABCDE' + 'x'.repeat(1000) + 'VWXYZ';
    for (let i = 0; i < all.length; i += 7) o.push(Buffer.from(all.slice(i, i + 7)));
    expect(o.total).toBe(1010);
    expect(o.cut).toBe(1000);
    expect(o.text()).toMatch(/^ABCDE\n\[\.\.\. 1000 bytes cut: .*\]\nVWXYZ$/);
  });

  it('does not start the kept end inside a UTF-8 character', () => {
    const o = new CappedOutput(8);
    o.push(Buffer.from('abcd' + 'é'.repeat(50)));
    expect(o.text()).not.toContain('\ufffd');
    expect(o.text().endsWith('éé') || o.text().endsWith('é')).toBe(true);
  });
});
