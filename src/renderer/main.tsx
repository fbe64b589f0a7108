// Entry: one store over `window.runcode`, provided to the component tree. It starts loading as
// soon as the script runs, so core's answers travel while React mounts the Loading screen (the
// store lives as long as the page, so its event subscriptions do too).
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api.js';
import { App } from './App.js';
import { createPopoverStore } from './store.js';
import { StoreContext } from './usePopover.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');

let content;
try {
  const store = createPopoverStore(api());
  void store.getState().init();
  content = (
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  );
} catch (e) {
  content = (
    <main className="fatal" role="alert">
      {e instanceof Error ? e.message : 'RunCode Tray could not start.'}
    </main>
  );
}
createRoot(root).render(<StrictMode>{content}</StrictMode>);
