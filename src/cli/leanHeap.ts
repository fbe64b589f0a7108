// `runcode agent` sits in the background for hours renewing passes: a few HTTPS calls a minute.
// Its peak RSS was mostly V8 sizing itself for a busy process (bench/figures/memory.ts): the young
// generation doubles 1 -> 8 MiB per semi-space while the agent's modules load (the allocation
// bursts of parsing) and keeps that, ~13 MiB of 75; and TurboFan compiling the few functions that
// loading and a renewal batch make hot touches its own code in the node binary and its zones
// (~4-9 MiB), for code that then runs a few times a minute; Sparkplug's baseline code ~0.6 MiB
// more. These are V8 flags that V8 reads when it decides (grow the young generation; tier a
// function up), so setting them before the agent's modules load applies them (measured: VmHWM
// 74-75 -> 65 MB with 50 connected, each flag alone ~1-4 MB; no Sparkplug, 4+4 A/B: -0.6 MB). Node leaves V8's flags unfrozen for v8.setFlagsFromString; every flag named here
// exists in Node 20 and later (an unknown one would print an error line, not fail).
import v8 from 'node:v8';

/** Makes this process's V8 keep its young generation small and run everything in its interpreter. */
export function useLeanHeap(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
  v8.setFlagsFromString('--no-turbofan');
  v8.setFlagsFromString('--no-maglev');
  v8.setFlagsFromString('--no-sparkplug');
}
