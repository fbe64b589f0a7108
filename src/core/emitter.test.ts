import { describe, expect, it } from 'vitest';
import { Emitter } from './emitter.js';

describe('Emitter', () => {
  it('tells every listener, in order, until it unsubscribes', () => {
    const e = new Emitter<[name: string, n: number]>();
    const seen: string[] = [];
    const stopA = e.subscribe((name, n) => seen.push(`a ${name} ${n}`));
    e.subscribe((name, n) => seen.push(`b ${name} ${n}`));
    e.emit('x', 1);
    stopA();
    e.emit('y', 2);
    expect(seen).toEqual(['a x 1', 'b x 1', 'b y 2']);
  });

  it("goes on past a listener that throws, and the emitter's caller sees no error", () => {
    const e = new Emitter<[number]>();
    const seen: number[] = [];
    e.subscribe(() => {
      throw new Error('listener bug');
    });
    e.subscribe((n) => seen.push(n));
    expect(() => e.emit(7)).not.toThrow();
    expect(seen).toEqual([7]);
  });

  it('tells the listeners it had when the emit began, though one unsubscribes another', () => {
    const e = new Emitter<[]>();
    const seen: string[] = [];
    let stopB = (): void => undefined;
    e.subscribe(() => {
      seen.push('a');
      stopB();
    });
    stopB = e.subscribe(() => seen.push('b'));
    e.emit();
    e.emit();
    expect(seen).toEqual(['a', 'b', 'a']);
  });

  it('clear() drops every listener', () => {
    const e = new Emitter<[number]>();
    const seen: number[] = [];
    e.subscribe((n) => seen.push(n));
    e.clear();
    e.emit(1);
    expect(seen).toEqual([]);
  });
});
