// A scripted `RuncodeApi` for the store's unit tests: handlers per channel, events on demand.
import {
  CHANNELS,
  EVENTS,
  listenerName,
  methodName,
  type CallArg,
  type Calls,
  type Channel,
  type EventName,
  type Events,
  type RuncodeApi,
} from '../../shared/contract.js';

export type Handlers = {
  [C in Channel]?: (arg: CallArg<C>) => ReturnType<Calls[C]> | Promise<ReturnType<Calls[C]>>;
};

export interface FakeApi {
  api: RuncodeApi;
  calls: { channel: Channel; arg: unknown }[];
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  listenerCount(): number;
}

export function createFakeApi(handlers: Handlers): FakeApi {
  const calls: FakeApi['calls'] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const api: Record<string, unknown> = {};
  for (const channel of CHANNELS) {
    api[methodName(channel)] = async (arg: unknown) => {
      calls.push({ channel, arg });
      const h = handlers[channel] as ((a: unknown) => unknown) | undefined;
      if (!h) throw { code: 'not_implemented', message: `${channel} is not scripted` };
      return h(arg);
    };
  }
  for (const event of EVENTS) {
    api[listenerName(event)] = (l: (p: unknown) => void) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(l);
      return () => set.delete(l);
    };
  }
  return {
    api: api as RuncodeApi,
    calls,
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
    listenerCount: () => [...listeners.values()].reduce((n, s) => n + s.size, 0),
  };
}
