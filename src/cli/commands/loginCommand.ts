import path from 'node:path';
import { openBrowser } from '../../core/auth/openBrowser.js';
import { RuncodeError } from '../../core/errors.js';
import { withCliApp } from '../cliApp.js';
import { defineCommand, progress } from '../defineCommand.js';

export const loginCommand = defineCommand({
  name: 'login',
  usage: `usage: runcode login [--endpoint URL] [--ca FILE] [--no-browser]

Signs this machine in: your browser opens the RunCode sign-in page, and the token comes straight
back to this machine (stored in the OS keychain, or a file only you can read).

  --endpoint URL   the control plane (https only); default: the last one used
  --ca FILE        an extra CA certificate to trust (the local server's ca.pem)
  --no-browser     print the sign-in URL instead of opening a browser
`,
  options: { endpoint: { type: 'string' }, ca: { type: 'string' }, 'no-browser': { type: 'boolean' } },
  run: ({ values }) =>
    withCliApp(async (app) => {
      const saved = await app.session.endpoint();
      const endpoint = values.endpoint ?? saved?.endpoint;
      if (!endpoint) {
        throw new RuncodeError(
          'no_endpoint',
          'no control plane yet: pass --endpoint https://... (or start a local one with `runcode server`)',
        );
      }
      const caFile = values.ca ? path.resolve(values.ca) : values.endpoint ? undefined : saved?.caFile;
      const noBrowser = values['no-browser'] ?? false;
      const me = await app.session.signIn({
        endpoint,
        ...(caFile ? { caFile } : {}),
        onUrl: (url) => {
          const lead = noBrowser
            ? 'Open this URL to sign in'
            : 'Opening your browser to sign in; if it does not open, visit';
          progress(`${lead}:\n  ${url}\nwaiting for the browser...`);
        },
        openUrl: noBrowser ? () => undefined : (url) => openBrowser(url),
      });
      process.stdout.write(`Signed in to ${endpoint} as ${me.name} <${me.email}>\n`);
      const store = app.session.secretStore;
      if (store.warning) process.stderr.write(`warning: ${store.warning}\n`);
      return 0;
    }),
});
