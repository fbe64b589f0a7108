// A test hook for the fault-injection suite (`npm run test:faults`): with
// RUNCODE_TEST_CRASH_AT=<step> set, the process kills itself (SIGKILL, no cleanup, as a power cut
// or `kill -9` would) when it reaches that step of a connection change. Unset, it does nothing.
export type CrashStep = 'key-private' | 'key' | 'pass' | 'pin' | 'record' | 'config';

export function crashPoint(step: CrashStep): void {
  if (process.env.RUNCODE_TEST_CRASH_AT === step) process.kill(process.pid, 'SIGKILL');
}
