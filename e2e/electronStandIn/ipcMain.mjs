// The stand-in's ipcMain: handlers by channel, and an invoke from a page's frame with the event
// (sender, senderFrame) Electron would build, so main's sender checks run as they do in Electron.
import { EventEmitter } from 'node:events';

class IpcMain extends EventEmitter {
  handlers = new Map();
  handle(channel, fn) {
    if (this.handlers.has(channel))
      throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, fn);
  }
  removeHandler(channel) {
    this.handlers.delete(channel);
  }
  /** An invoke from `frame` of `win`'s page, with the event Electron would build. */
  async invokeFrom(win, frame, channel, args) {
    const fn = this.handlers.get(channel);
    if (!fn) throw new Error(`No handler registered for '${channel}'`);
    const page = win.page;
    const main = page.mainFrame();
    const frames = page.frames();
    const senderFrame = {
      url: frame.url(),
      parent: frame === main ? null : { url: frame.parentFrame()?.url() ?? '' },
      processId: 1,
      routingId: frame === main ? 1 : 100 + frames.indexOf(frame),
      top: { url: main.url() },
    };
    win.webContents.mainFrame = { processId: 1, routingId: 1, url: main.url(), parent: null };
    const event = { sender: win.webContents, senderFrame, processId: 1, frameId: senderFrame.routingId };
    return fn(event, ...args);
  }
}
export const ipcMain = new IpcMain();
