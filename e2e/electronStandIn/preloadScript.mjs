// The preload as the stand-in runs it in a window's page (see browserWindow.mjs).

/** The preload in the page: `require('electron')` answers contextBridge and ipcRenderer only. */
export function preloadScript(source) {
  return `(() => {
  if (window !== window.top) return; // nodeIntegrationInSubFrames: false, no preload in iframes
  const listeners = new Map();
  const ipcRenderer = {
    invoke: (channel, ...args) => window.__standInIpcInvoke(channel, args),
    on(channel, l) { (listeners.get(channel) ?? listeners.set(channel, new Set()).get(channel)).add(l); return ipcRenderer; },
    removeListener(channel, l) { listeners.get(channel)?.delete(l); return ipcRenderer; },
    off(channel, l) { return ipcRenderer.removeListener(channel, l); },
  };
  Object.defineProperty(window, '__standInDeliver', {
    value: (channel, args) => { for (const l of listeners.get(channel) ?? []) l({ sender: null }, ...args); },
  });
  const contextBridge = {
    exposeInMainWorld(key, api) { Object.defineProperty(window, key, { value: api, enumerable: true }); },
  };
  const nativeOpen = window.open;
  window.open = (url) => (window.__standInWindowOpen(String(url)).then((a) => a === 'allow' && nativeOpen(url)), null);
  const module = { exports: {} };
  const require = (m) => {
    if (m === 'electron') return { contextBridge, ipcRenderer };
    throw new Error('the sandboxed preload cannot require ' + m);
  };
  (function (require, module, exports) {
${source}
  })(require, module, module.exports);
})();`;
}
