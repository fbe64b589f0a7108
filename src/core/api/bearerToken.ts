// The stored sign-in token as it goes into an Authorization header: one rule for the API client
// and the event stream, so a token one of them refuses the other refuses too.
import { RuncodeError } from '../errors.js';

/** `token` itself; `not_signed_in` when there is none, or when it is not a safe header value. */
export function bearerToken(token: string | undefined): string {
  if (!token) throw new RuncodeError('not_signed_in', 'you are not signed in; run `runcode login`');
  // A token with CR/LF or other controls would be a header injection; refuse it outright.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new RuncodeError(
      'not_signed_in',
      'the stored sign-in token is malformed; run `runcode login` again',
    );
  }
  return token;
}
