// zod's functional build (zod/mini) for what every long-running process validates: the backend's
// answers (api/schemas.ts) and the state files (state/). It is the same checking core as
// `import { z } from 'zod'` (the same schema classes, checks and messages), without the chainable
// methods classic zod builds onto every schema and the whole library it loads: `runcode agent`
// with 50 connected peaked ~6 MB lower without it (bench/figures/memory.ts). The English messages
// are what classic zod configures when it loads; set here too, so a message about a damaged state
// file reads the same in a process that never loads classic zod (the same locale, set twice, is
// the same configuration).
// Import it as a namespace (`import * as z from '../zodMini.js'`): the bundler then keeps only
// the parts used, where a namespace object passed around as a value would keep all of zod/mini.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
