import { runDoctor } from '../../core/app/doctor.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand } from '../defineCommand.js';

export const doctorCommand = defineCommand({
  name: 'doctor',
  usage: `usage: runcode doctor [--json]

Preflight: the OpenSSH client, the control plane over HTTPS, the token, RunCode's own ssh config
and (when you opted in with \`config-ssh\`) the block in yours: every host checked with \`ssh -G\`
for each pinned option, and options another section adds (IdentityFile, CertificateFile, SendEnv,
forwards) reported with the fix; the pinned gateway key per workspace (\`ssh-keygen -F\`), key
permissions, and the gateway answering with that key. Exits 1 when a check fails.
`,
  options: { json: { type: 'boolean' } },
  run: ({ values }) =>
    withCliApp(async (app) => {
      const checks = await runDoctor(app);
      if (values.json) process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
      else {
        for (const c of checks) {
          process.stdout.write(`${c.ok ? 'ok  ' : 'FAIL'}  ${c.title}: ${c.detail}\n`);
          if (!c.ok && c.fix) process.stdout.write(`      fix: ${c.fix}\n`);
        }
      }
      return checks.every((c) => c.ok) ? 0 : 1;
    }),
});
