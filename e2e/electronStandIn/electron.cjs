// `require('electron')` from a CommonJS package (electron-updater, electron-log) under the stand-in:
// the current run's stand-in module, looked up at each use (it may load after the requirer).
'use strict';
module.exports = new Proxy(
  {},
  {
    get(_target, key) {
      const current = globalThis.__electronStandIn?.current;
      if (!current) throw new Error('electron stand-in: no main process is running');
      return current[key];
    },
  },
);
