// The stand-in's session: main's webRequest and permission handlers, recorded so a test can ask
// them (the CSP main adds is recorded, not applied).
import { EventEmitter } from 'node:events';

const recorded = () => {
  const handlers = {};
  return handlers;
};
class Session extends EventEmitter {
  handlers = recorded();
  webRequest = {
    onHeadersReceived: (fn) => void (this.handlers.headersReceived = fn),
    onBeforeRequest: (fn) => void (this.handlers.beforeRequest = fn),
  };
  setPermissionRequestHandler(fn) {
    this.handlers.permissionRequest = fn;
  }
  setPermissionCheckHandler(fn) {
    this.handlers.permissionCheck = fn;
  }
  setDevicePermissionHandler(fn) {
    this.handlers.devicePermission = fn;
  }
  setDisplayMediaRequestHandler(fn) {
    this.handlers.displayMedia = fn;
  }
  /** Asks the permission handler the way Electron does; resolves with its answer. */
  requestPermission(webContents, permission, details) {
    return new Promise((resolve) =>
      this.handlers.permissionRequest(webContents, permission, resolve, details),
    );
  }
}
export const session = { defaultSession: new Session() };
