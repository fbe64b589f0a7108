// The control plane `runcode login` uses when none was given, saved, or set in $RUNCODE_ENDPOINT.
// Set once, here, when building a release for a hosted RunCode (https only; login checks it like
// any other endpoint). Unset in this tree: there is no public RunCode service to point at, so
// login then says how to pass --endpoint.
export const DEFAULT_ENDPOINT: string | undefined = undefined;
