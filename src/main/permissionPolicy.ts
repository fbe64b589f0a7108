// Which web permissions the popover gets: writing to the clipboard (its "copy ssh command" button),
// and only for our own page in our own window. Everything else (camera, microphone, geolocation,
// notifications from the page, HID/USB/serial, clipboard reads, ...) is refused for every page.
import type { TrustPolicy } from './trustedSender.js';
import { isTrustedSender } from './trustedSender.js';

const ALLOWED = new Set(['clipboard-sanitized-write']);

export function allowPermission(
  permission: string,
  requester: { webContentsId: number | undefined; requestingUrl: string | undefined; isMainFrame: boolean },
  policy: TrustPolicy,
): boolean {
  if (!ALLOWED.has(permission) || requester.webContentsId === undefined) return false;
  return isTrustedSender(
    {
      frameUrl: requester.requestingUrl,
      isMainFrame: requester.isMainFrame,
      webContentsId: requester.webContentsId,
    },
    policy,
  ).ok;
}
