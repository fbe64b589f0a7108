// A Server-Sent Events reader for tests: connects with a bearer token (and Last-Event-ID),
// parses frames, and lets a test wait for the event it expects.
import https from 'node:https';

export interface SseEvent {
  id?: string;
  event?: string;
  data: string;
}

export interface SseClient {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  events: SseEvent[];
  /** Comment lines seen (`: heartbeat`), without the colon. */
  comments: string[];
  /**
   * Resolves with the next matching event after the one the previous waitFor returned (already
   * received or still to come), so a sequence of waitFor calls checks the order of events.
   */
  waitFor(match: (e: SseEvent) => boolean, timeoutMs?: number): Promise<SseEvent>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

export function connectSse(
  endpoint: string,
  ca: string,
  token: string,
  lastEventId?: string,
): Promise<SseClient> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
    if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
    const req = https.request(new URL('/api/v1/events', endpoint), { headers, ca }, (res) => {
      const events: SseEvent[] = [];
      const comments: string[] = [];
      const waiters = new Set<() => void>();
      let buf = '';
      let cursor = 0;
      let endedResolve!: () => void;
      const ended = new Promise<void>((r) => (endedResolve = r));
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: SseEvent = { data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('id: ')) ev.id = line.slice(4);
            else if (line.startsWith('event: ')) ev.event = line.slice(7);
            else if (line.startsWith('data: ')) {
              ev.data += line.slice(6);
              isEvent = true;
            }
          }
          if (isEvent) events.push(ev);
        }
        for (const w of waiters) w();
      });
      res.on('end', () => endedResolve());
      res.on('close', () => endedResolve());
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        comments,
        ended,
        waitFor: (match, timeoutMs = 5000) =>
          new Promise((ok, fail) => {
            const check = () => {
              const i = events.findIndex((e, j) => j >= cursor && match(e));
              if (i < 0) return false;
              const hit = events[i]!;
              cursor = i + 1;
              waiters.delete(check);
              clearTimeout(timer);
              ok(hit);
              return true;
            };
            const timer = setTimeout(() => {
              waiters.delete(check);
              fail(new Error(`no matching event in ${timeoutMs} ms; got ${JSON.stringify(events)}`));
            }, timeoutMs);
            if (!check()) waiters.add(check);
          }),
        close: () => req.destroy(),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
