// The one rule for a TCP port number we accept from anyone (backend, settings, the popover's
// port field, the CLI): an integer 1-65535. Port 0 ("any free port") is never a target.

export function isPort(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 65535;
}
