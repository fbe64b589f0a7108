// What main reads about the machine under the stand-in: one screen (host.display may replace it),
// a light theme and an idle-free powerMonitor.
import { EventEmitter } from 'node:events';
import { host } from './record.mjs';

class PowerMonitor extends EventEmitter {
  getSystemIdleTime() {
    return 0;
  }
}
export const powerMonitor = new PowerMonitor();

class NativeTheme extends EventEmitter {
  shouldUseDarkColors = false;
  themeSource = 'system';
}
export const nativeTheme = new NativeTheme();

const display = {
  id: 1,
  bounds: { x: 0, y: 0, width: 1920, height: 1080 },
  workArea: { x: 0, y: 28, width: 1920, height: 1052 },
  scaleFactor: 1,
};
class Screen extends EventEmitter {
  getPrimaryDisplay = () => host.display ?? display;
  getAllDisplays = () => [host.display ?? display];
  getDisplayMatching = () => host.display ?? display;
  getDisplayNearestPoint = () => host.display ?? display;
  getCursorScreenPoint = () => ({ x: 1850, y: 10 });
}
export const screen = new Screen();
