// A small JSON file in the state dir, read through a schema and written atomically under the lock
// every RunCode process shares. A file that does not parse is reported, never silently rewritten.
import fs from 'node:fs/promises';
import type * as z from '../zodMini.js';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import { withFileLock } from '../fs/fileLock.js';

export class JsonStateFile<S extends z.ZodMiniType> {
  /**
   * The text last read or written and the value it validated to. connections.json is read several
   * times per renewal (the batch, the update, every process's watcher) while it rarely changes;
   * validating its every record each time was most of what a long-running `runcode agent`
   * allocated. Only identical bytes are taken from here, as a copy; the schemas are pure and
   * parsing what they output gives it back, so what was written validates to what was checked.
   */
  private last: { text: string; value: z.output<S> } | undefined;

  constructor(
    readonly path: string,
    private readonly schema: S,
    private readonly empty: () => z.output<S>,
  ) {}

  /** The current value (`empty()` when the file does not exist); `state_corrupt` when it does not parse. */
  async read(): Promise<z.output<S>> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw e;
    }
    if (this.last?.text === text) return structuredClone(this.last.value);
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw this.corrupt('it is not JSON');
    }
    const r = this.schema.safeParse(json);
    if (!r.success) {
      const issue = r.error.issues[0];
      throw this.corrupt(`${issue?.path.join('.') || 'the top level'}: ${issue?.message ?? 'invalid'}`);
    }
    this.last = { text, value: structuredClone(r.data) };
    return r.data;
  }

  /** Read-modify-write under the lock; `fn` returns the new value. */
  async update(fn: (current: z.output<S>) => z.output<S>): Promise<z.output<S>> {
    return withFileLock(this.path, async () => {
      const next = fn(await this.read());
      const checked = this.schema.parse(next);
      const text = `${JSON.stringify(checked, null, 2)}\n`;
      await atomicWrite(this.path, text, { mode: 0o600, keepMode: false });
      this.last = { text, value: structuredClone(checked) };
      return checked;
    });
  }

  async remove(): Promise<void> {
    await withFileLock(this.path, () => fs.rm(this.path, { force: true }));
  }

  private corrupt(why: string): RuncodeError {
    return new RuncodeError(
      'state_corrupt',
      `${this.path} is damaged (${why}); move it aside or delete it, then try again`,
    );
  }
}
