// A small JSON file in the state dir, read through a schema and written atomically under the lock
// every RunCode process shares. A file that does not parse is reported, never silently rewritten.
import fs from 'node:fs/promises';
import type { z } from 'zod';
import { RuncodeError } from '../errors.js';
import { atomicWrite } from '../fs/atomicWrite.js';
import { withFileLock } from '../fs/fileLock.js';

export class JsonStateFile<S extends z.ZodType> {
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
    return r.data;
  }

  /** Read-modify-write under the lock; `fn` returns the new value. */
  async update(fn: (current: z.output<S>) => z.output<S>): Promise<z.output<S>> {
    return withFileLock(this.path, async () => {
      const next = fn(await this.read());
      const checked = this.schema.parse(next);
      await atomicWrite(this.path, `${JSON.stringify(checked, null, 2)}\n`, { mode: 0o600, keepMode: false });
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
