// One typed event source, for the owners of state that others watch (the tray's parts, the forward
// manager, the workspace feed): each subscription returns its cleanup, and a listener's failure
// stops neither the other listeners nor the owner, which is usually mid-change when it emits.
export class Emitter<Args extends unknown[]> {
  private readonly listeners = new Set<(...args: Args) => void>();

  /** Calls `listener` on every emit; returns the unsubscribe. */
  subscribe(listener: (...args: Args) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(...args: Args): void {
    // A copy: a listener may unsubscribe itself or another while the others are told.
    for (const listener of [...this.listeners]) {
      try {
        listener(...args);
      } catch {
        // A listener's bug is its own: the owner's change has happened either way.
      }
    }
  }

  /** Drops every listener (the owner's dispose). */
  clear(): void {
    this.listeners.clear();
  }
}
