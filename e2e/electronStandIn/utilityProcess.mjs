// The stand-in's utilityProcess: a child_process.fork with `process.parentPort` shimmed.
import childProcess from 'node:child_process';
import { EventEmitter } from 'node:events';
import { host } from './record.mjs';

/** A Node child with `process.parentPort`, as an Electron utility process has. */
export const utilityProcess = {
  fork(modulePath, args = [], options = {}) {
    const shim =
      'data:text/javascript,' +
      encodeURIComponent(
        'process.parentPort={on:(e,l)=>process.on(e,(m)=>l({data:m})),postMessage:(m)=>process.send?.(m)};',
      );
    const child = childProcess.fork(modulePath, args, {
      stdio:
        options.stdio === 'pipe'
          ? ['ignore', 'pipe', 'pipe', 'ipc']
          : ['ignore', 'inherit', 'inherit', 'ipc'],
      env: options.env ?? process.env,
      execArgv: ['--import', shim],
    });
    const up = new EventEmitter();
    up.stdout = child.stdout;
    up.stderr = child.stderr;
    Object.defineProperty(up, 'pid', { get: () => child.pid });
    up.postMessage = (m) => child.connected && child.send(m);
    up.kill = () => child.kill();
    child.on('exit', (code) => up.emit('exit', code ?? 1));
    child.on('message', (m) => up.emit('message', m));
    (host.children ??= []).push(child);
    return up;
  },
};
