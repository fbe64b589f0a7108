// The one question about ~/.ssh/config (issue 10.2): asked when the user opens a workspace in an
// editor that finds hosts through ~/.ssh/config (VS Code, Cursor, Zed, ...). Yes adds RunCode's
// removable block and opens; Not now leaves the file alone (Settings has the same switch).
import { usePopover } from './usePopover.js';

export function OptInPrompt() {
  const ask = usePopover((s) => s.optInAsk);
  const answer = usePopover((s) => s.answerOptIn);
  if (!ask) return null;
  return (
    <div className="banner banner-info" role="dialog" aria-labelledby="optin-q" aria-describedby="optin-d">
      <span className="banner-text">
        <strong id="optin-q">Let your editors reach workspaces?</strong>{' '}
        <span id="optin-d">
          Adds a removable block to ~/.ssh/config, so your editor can open {ask.name}. The browser IDE and the
          terminal work without it.
        </span>
      </span>
      <button type="button" onClick={() => void answer(true)}>
        Allow
      </button>
      <button type="button" onClick={() => void answer(false)}>
        Not now
      </button>
    </div>
  );
}
