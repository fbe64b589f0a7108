// Is a config file RunCode writes hosts into readable, its block well formed?
import type { DoctorCheck } from '../../../shared/contract.js';
import { toErrorInfo } from '../../errors.js';
import type { HostEntry } from '../../ssh/hostEntry.js';

export async function configFileCheck(
  id: string,
  title: string,
  file: { path: string; read(): Promise<HostEntry[]> },
): Promise<{ check: DoctorCheck; entries: HostEntry[] }> {
  try {
    const entries = await file.read();
    return { check: { id, title, ok: true, detail: `${entries.length} host(s) in ${file.path}` }, entries };
  } catch (e) {
    return {
      check: {
        id,
        title,
        ok: false,
        detail: toErrorInfo(e).message,
        fix: `fix or remove the RunCode markers in ${file.path}, then run \`runcode config-ssh\``,
      },
      entries: [],
    };
  }
}
