// Who may call the app over IPC (VS Code's validatedIpcMain habit): only our popover window's
// main frame, showing our bundled page. A pure decision so every refusal is a unit test; ipc.ts
// reads the values off Electron's event and asks here before any handler runs.

export interface SenderInfo {
  /** `event.senderFrame.url`; undefined when the frame is gone (navigated away, destroyed). */
  frameUrl: string | undefined;
  /** senderFrame === webContents.mainFrame: an iframe is never trusted. */
  isMainFrame: boolean;
  webContentsId: number;
}

export interface TrustPolicy {
  /** The popover window's webContents id; undefined before the window exists. */
  expectedId: number | undefined;
  /**
   * What the page may be: a `file:` URL matches that exact file (the bundled
   * out/renderer/index.html; query and hash ignored); an `http(s):` URL matches its origin (the
   * electron-vite dev server, only in development).
   */
  allowedOrigins: readonly string[];
}

export type TrustDecision = { ok: true } | { ok: false; reason: string };

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

function samePage(page: URL, allowed: URL): boolean {
  if (allowed.protocol === 'file:') {
    // A file URL's origin is the opaque "null": compare the file itself. Decoded, so %20 and a
    // space agree; host must be empty (file://server/share is another machine).
    let a: string, b: string;
    try {
      a = decodeURIComponent(page.pathname);
      b = decodeURIComponent(allowed.pathname);
    } catch {
      return false;
    }
    return page.protocol === 'file:' && page.host === '' && allowed.host === '' && a === b;
  }
  if (allowed.protocol === 'http:' || allowed.protocol === 'https:') return page.origin === allowed.origin;
  return false;
}

export function isTrustedSender(sender: SenderInfo, policy: TrustPolicy): TrustDecision {
  if (policy.expectedId === undefined) return { ok: false, reason: 'the popover window does not exist yet' };
  if (sender.webContentsId !== policy.expectedId) {
    return { ok: false, reason: `webContents ${sender.webContentsId} is not the popover window` };
  }
  if (!sender.isMainFrame) return { ok: false, reason: 'the message came from a subframe' };
  if (sender.frameUrl === undefined) return { ok: false, reason: 'the sending frame is gone' };
  const page = parse(sender.frameUrl);
  if (!page) return { ok: false, reason: 'the sending frame has no valid URL' };
  for (const entry of policy.allowedOrigins) {
    const allowed = parse(entry);
    if (allowed && samePage(page, allowed)) return { ok: true };
  }
  return {
    ok: false,
    reason: `the sending page ${JSON.stringify(sender.frameUrl.slice(0, 120))} is not ours`,
  };
}
