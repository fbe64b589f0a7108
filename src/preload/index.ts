// The sandboxed preload (built as CommonJS: out/preload/index.cjs): exposes the contract's API as
// `window.runcode` through contextBridge, and nothing else (never ipcRenderer, never a generic send).
import { contextBridge, ipcRenderer } from 'electron';
import { createRuncodeApi } from './createRuncodeApi.js';

contextBridge.exposeInMainWorld('runcode', createRuncodeApi(ipcRenderer));
