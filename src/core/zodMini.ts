// zod's functional build (zod/mini) for what every long-running process validates: the backend's
// answers (api/schemas.ts) and the state files (state/). It is the same checking core as
// `import { z } from 'zod'` (the same schema classes, checks and messages), without the chainable
// methods classic zod builds onto every schema and the whole library it loads: `runcode agent`
// with 50 connected peaked ~6 MB lower without it (bench/figures/memory.ts). The English messages
// are what classic zod configures when it loads; set here too, so a message about a damaged state
// file reads the same in a process that never loads classic zod (the same locale, set twice, is
// the same configuration).
//
// Import it as a namespace (`import * as z from '../zodMini.js'`): the bundler then keeps only
// the parts used, where a namespace object passed around as a value would keep all of zod/mini.
import type { ZodMiniObject } from 'zod/mini';
import { config, ZodMiniType } from 'zod/mini';
import type { $strip, $ZodLooseShape, $ZodObjectParams } from 'zod/v4/core';
import { $constructor, $ZodObjectJIT, util } from 'zod/v4/core';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';

/**
 * zod/mini's object with the parser classic zod's objects use: compiled per shape on first use
 * (zod's $ZodObjectJIT, the same checks in the same order), where zod/mini walks the shape
 * generically. connections.json with 500 records parsed ~25% slower without it, a batch of
 * renewals parses it twice (bench/figures/refresher.ts).
 */
const ZodMiniObjectJIT = /*@__PURE__*/ $constructor('ZodMiniObject', (inst: ZodMiniObject, def) => {
  $ZodObjectJIT.init(inst, def);
  ZodMiniType.init(inst, def);
  util.installLazyProp(inst, 'shape', (self: ZodMiniObject) => self._zod.def.shape, false);
});

export function object<T extends $ZodLooseShape = Record<never, never>>(
  shape?: T,
  params?: string | $ZodObjectParams,
): ZodMiniObject<util.Writeable<T>, $strip> {
  return new ZodMiniObjectJIT({
    type: 'object',
    shape: shape ?? {},
    ...util.normalizeParams(params),
  }) as unknown as ZodMiniObject<util.Writeable<T>, $strip>;
}
