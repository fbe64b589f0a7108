/** Control-plane protocol version this app speaks (DESIGN.md, "Control plane, v1"). */
export const PROTOCOL_VERSION = 1;
