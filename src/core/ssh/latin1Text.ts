// An ssh config is handled as latin1, so every byte outside our block survives whatever its
// encoding; our own text is UTF-8. ASCII reads the same either way: a 1.2 MB block is scanned
// in ~1 ms, converted in ~3.
const NOT_ASCII = /[\u0080-\uffff]/;

/** UTF-8 text (ours) as the latin1 string of its bytes. */
export const toLatin1 = (s: string): string =>
  NOT_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;

/** The latin1 string of a file's bytes, read as UTF-8. */
export const fromLatin1 = (s: string): string =>
  NOT_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
