// Types for systemTools.mjs (plain Node so the preflight runs before the build).
export type ToolName =
  'ssh' | 'ssh-keygen' | 'git' | 'scp' | 'sftp' | 'sftp-server' | 'rsync' | 'chromium' | 'fonts';
export type Installer = 'apt' | 'dnf' | 'brew' | 'winget';
export interface Tool {
  name: ToolName;
  required: boolean;
  for: string;
  pkg: Record<Installer, string | null>;
}
export const SFTP_SERVER_PATHS: readonly string[];
export const TOOLS: readonly Tool[];
export function isStrict(): boolean;
export function onPath(name: string): string | undefined;
export function findChromium(): string | undefined;
export function findTool(name: ToolName): string | undefined;
export function toolVersion(name: ToolName, where: string): string | undefined;
export function installer(): Installer | undefined;
export function installCommand(names: readonly ToolName[], via?: Installer): string | undefined;
export function missingReason(name: ToolName): string | undefined;
