// registerHooks.mjs has no exports: importing it installs the stand-in's module hooks.
export {};
