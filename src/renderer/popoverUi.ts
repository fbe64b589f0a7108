// The popover's own state: where the user is (tab, search, selection, open row), what is in
// flight (busy keys) and the notices it shows. Core never sees this, except the tab and the open
// row, which it keeps for the next time the popover opens.
import type { EditorId, Notice } from '../shared/contract.js';
import type { StateFilter } from './filter.js';

export type View = 'workspaces' | 'settings' | 'doctor';

export interface Banner {
  id: number;
  level: Notice['level'];
  text: string;
}

export interface UiState {
  phase: 'loading' | 'ready' | 'broken';
  /** A browser sign-in this popover started is in progress. */
  signingIn: boolean;
  view: View;
  query: string;
  stateFilter: StateFilter;
  selected: string | undefined;
  expanded: string | undefined;
  /**
   * In-flight actions by key (`signOut`, `connect:api`, `forward:api:3000`, ...). A start or
   * stop in flight (`start:api`) also shows the row as starting until core answers
   * (reducers.ts, `applyOverlay`).
   */
  busy: Readonly<Record<string, true>>;
  banners: readonly Banner[];
  /**
   * An Open that needs the ~/.ssh/config block: the question (the first time), or, once asked,
   * `needs`: one line saying what the editor needs, with the way to the Settings switch.
   */
  optInAsk: { name: string; editor?: EditorId; needs?: string } | undefined;
}

export const MAX_BANNERS = 3;

export function initialUi(): UiState {
  return {
    phase: 'loading',
    signingIn: false,
    view: 'workspaces',
    query: '',
    stateFilter: 'all',
    selected: undefined,
    expanded: undefined,
    busy: {},
    banners: [],
    optInAsk: undefined,
  };
}

/** What signing out leaves of the UI: back to the list, nothing selected or open. */
export const SIGNED_OUT_UI: Pick<UiState, 'selected' | 'expanded' | 'view'> = {
  selected: undefined,
  expanded: undefined,
  view: 'workspaces',
};

/** Newest last; the same text is not shown twice; at most MAX_BANNERS. */
export function addBanner(banners: readonly Banner[], banner: Banner): Banner[] {
  const rest = banners.filter((b) => b.text !== banner.text);
  return [...rest, banner].slice(-MAX_BANNERS);
}
