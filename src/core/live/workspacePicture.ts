// The feed's picture of the workspaces: one per id, the newest by updatedAt winning (a stream event
// newer than a list answer is kept), and one frozen array that stays the same array while its
// content does, so a poll that found nothing new notifies nobody.
import type { Workspace } from '../../shared/protocol.js';

const newer = (a: Workspace, b: Workspace): boolean => Date.parse(a.updatedAt) > Date.parse(b.updatedAt);

export class WorkspacePicture {
  private byId = new Map<string, Workspace>();
  private current: readonly Workspace[] = [];

  get list(): readonly Workspace[] {
    return this.current;
  }

  get(id: string): Workspace | undefined {
    return this.byId.get(id);
  }

  byName(name: string): Workspace | undefined {
    return this.current.find((w) => w.name === name);
  }

  /** One workspace (an event) unless what we hold is newer; true when something changed. */
  apply(ws: Workspace): boolean {
    const cur = this.byId.get(ws.id);
    if (cur && newer(cur, ws)) return false;
    if (cur && JSON.stringify(cur) === JSON.stringify(ws)) return false;
    this.byId.set(ws.id, ws);
    this.rebuild();
    return true;
  }

  /** The whole list (a poll's answer); a workspace we hold that is newer than its entry wins. */
  replaceAll(list: readonly Workspace[]): void {
    const next = new Map<string, Workspace>();
    for (const ws of list) {
      const cur = this.byId.get(ws.id);
      next.set(ws.id, cur && newer(cur, ws) ? cur : ws);
    }
    this.byId = next;
    this.rebuild();
  }

  private rebuild(): void {
    const next = [...this.byId.values()];
    if (JSON.stringify(next) !== JSON.stringify(this.current)) this.current = Object.freeze(next);
  }
}
