// The one door to the app: `window.runcode`, as the preload (or the e2e harness) provides it.
import type { RuncodeApi } from '../shared/contract.js';

declare global {
  interface Window {
    runcode?: RuncodeApi;
  }
}

export function api(): RuncodeApi {
  const bridge = typeof window === 'undefined' ? undefined : window.runcode;
  if (!bridge) {
    throw new Error(
      'window.runcode is missing: the popover must be loaded by RunCode Tray (its preload provides the API).',
    );
  }
  return bridge;
}
