import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';
import { table } from '../table.js';
import { sshAlias } from '../../shared/workspaceName.js';

export const listCommand = defineCommand({
  name: 'list',
  usage: `usage: runcode list [--json]

Your workspaces; running ones are SSH-connectable.
`,
  options: { json: { type: 'boolean' } },
  run: ({ values }) =>
    withCliApp(async (app) => {
      const [workspaces, connections] = await Promise.all([app.listWorkspaces(), app.connections.list()]);
      const connected = new Set(connections.map((c) => c.name));
      if (values.json) {
        const out = workspaces.map((w) => ({
          ...w,
          connected: connected.has(w.name),
          alias: sshAlias(w.name),
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
        return 0;
      }
      if (workspaces.length === 0) {
        process.stdout.write('No workspaces.\n');
        return 0;
      }
      const rows = workspaces.map((w) => [
        w.name,
        w.state,
        connected.has(w.name) ? sshAlias(w.name) : '-',
        w.ports.map((p) => (p.label ? `${p.port} (${p.label})` : String(p.port))).join(', ') || '-',
      ]);
      process.stdout.write(table(['NAME', 'STATE', 'SSH', 'PORTS'], rows));
      return 0;
    }),
});
