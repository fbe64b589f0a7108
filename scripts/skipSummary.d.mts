// Types for skipSummary.mjs.
export interface Skip {
  suite: 'Vitest' | 'Playwright';
  test: string;
  reason: string;
}
export const SKIPS_FILE: string;
export function clearSkips(): void;
export function saveSkips(skips: readonly Skip[]): void;
export function loadSkips(): Skip[];
export function formatSkips(skips: readonly Skip[], title: string): string[];
