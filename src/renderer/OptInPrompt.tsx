// The one question about ~/.ssh/config (issue 10.2): asked the first time the user opens a
// workspace in an editor that finds hosts through ~/.ssh/config (VS Code, Cursor, Zed, ...). Yes
// adds RunCode's removable block and opens; Not now leaves the file alone. Asked once: later Opens
// get one line saying what the editor needs and the way to the same switch in Settings.
import { usePopover } from './usePopover.js';

export function OptInPrompt() {
  const ask = usePopover((s) => s.optInAsk);
  const answer = usePopover((s) => s.answerOptIn);
  const setView = usePopover((s) => s.setView);
  if (!ask) return null;
  if (ask.needs !== undefined)
    return (
      <div className="banner banner-info" role="note" aria-label={`What opening ${ask.name} needs`}>
        <span className="banner-text">{ask.needs}</span>
        <button
          type="button"
          onClick={() => {
            void answer(false);
            setView('settings');
          }}
        >
          Settings
        </button>
        <button
          type="button"
          className="icon-button"
          aria-label="Dismiss message"
          onClick={() => void answer(false)}
        >
          ×
        </button>
      </div>
    );
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
