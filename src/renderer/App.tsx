// The popover: picks the screen from the session (first run, signing in, or the signed-in tabs).
import { useEffect } from 'react';
import { Doctor } from './Doctor.js';
import { ErrorBanner } from './ErrorBanner.js';
import { OptInPrompt } from './OptInPrompt.js';
import { FirstRun } from './FirstRun.js';
import { Header } from './Header.js';
import { Settings } from './Settings.js';
import { SigningIn } from './SigningIn.js';
import { Spinner } from './Spinner.js';
import { usePopover, usePopoverStore } from './usePopover.js';
import { WorkspaceList } from './WorkspaceList.js';

export function App() {
  const store = usePopoverStore();
  const phase = usePopover((s) => s.phase);
  const signedIn = usePopover((s) => s.session?.signedIn ?? false);
  const signingIn = usePopover((s) => s.signingIn || Boolean(s.session?.signInUrl));
  const view = usePopover((s) => s.view);

  // Esc that nothing in the page used (a menu, the search) hides the popover. Decided after the
  // whole dispatch (a timeout), since other window listeners may be registered after this one.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.repeat) return;
      setTimeout(() => {
        if (!e.defaultPrevented) store.getState().hideWindow();
      });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store]);

  useEffect(() => {
    let off: (() => void) | undefined;
    let live = true;
    void store
      .getState()
      .init()
      .then((unsubscribe) => {
        if (live) off = unsubscribe;
        else unsubscribe();
      });
    return () => {
      live = false;
      off?.();
    };
  }, [store]);

  let screen;
  if (phase === 'loading') {
    screen = (
      <div className="centered" role="status">
        <Spinner /> Loading…
      </div>
    );
  } else if (phase === 'broken') {
    screen = (
      <div className="centered muted">RunCode Tray could not load. Restart it, or run `runcode doctor`.</div>
    );
  } else if (!signedIn) {
    screen = signingIn ? <SigningIn /> : view === 'doctor' ? <Doctor /> : <FirstRun />;
  } else if (view === 'settings') {
    screen = <Settings />;
  } else if (view === 'doctor') {
    screen = <Doctor />;
  } else {
    screen = <WorkspaceList />;
  }

  return (
    <div className="app">
      {signedIn && phase === 'ready' ? <Header /> : null}
      <ErrorBanner />
      <OptInPrompt />
      <div
        className="screen"
        id="screen"
        role={signedIn ? 'tabpanel' : undefined}
        aria-labelledby={signedIn ? `tab-${view}` : undefined}
      >
        {screen}
      </div>
    </div>
  );
}
