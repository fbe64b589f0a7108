// The popover hides when it loses focus. A click on the tray icon while it is open first blurs the
// window (hiding it), then delivers the click, which would show it again at once: the icon could
// never close it. (The same quirk menubar works around.) So: hide on blur after a short delay, and
// a tray click that arrives just after a blur-hide means "close", not "open again".

export class BlurGuard {
  private hiddenByBlurAt = -Infinity;

  constructor(readonly windowMs = 250) {}

  /** The window was hidden because it lost focus. */
  hiddenByBlur(now: number): void {
    this.hiddenByBlurAt = now;
  }

  /** A tray click at `now` on a hidden window: should it open? */
  shouldOpenOnClick(now: number): boolean {
    return now - this.hiddenByBlurAt > this.windowMs;
  }
}
