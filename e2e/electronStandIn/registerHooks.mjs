// Loads the electron stand-in for everything this process imports or requires from now on:
// `node --import ./registerHooks.mjs out/main/index.js` runs the built main without Electron
// (launchMain.ts imports it too). ESM imports go through register.mjs, CommonJS requires
// (electron-updater, electron-log) through electron.cjs.
import Module, { register } from 'node:module';
import { fileURLToPath } from 'node:url';

register(new URL('./register.mjs', import.meta.url));
const cjs = fileURLToPath(new URL('./electron.cjs', import.meta.url));
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  return request === 'electron' ? cjs : original.call(this, request, ...rest);
};
