// Entry: one store over `window.runcode`, provided to the component tree.
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
