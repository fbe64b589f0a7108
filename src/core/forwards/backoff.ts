// The formula lives in src/core/backoff.ts (one copy for forwards, the feed and the refresher).
export { backoffDelay } from '../backoff.js';
export type { BackoffOptions } from '../backoff.js';
