import path from 'node:path';
import { openBrowser } from '../../core/auth/openBrowser.js';
import { RuncodeError } from '../../core/errors.js';
import { withCliApp } from '../cliApp.js';
import { DEFAULT_ENDPOINT } from '../defaultEndpoint.js';
import { defineCommand, progress } from '../defineCommand.js';

export const loginCommand = defineCommand({
  name: 'login',
  usage: `usage: runcode login [--endpoint URL] [--ca FILE] [--no-browser]

Authorizes this machine in the browser and saves an API token: your browser opens the RunCode
sign-in page once, and the token comes straight back to this machine (stored in the OS keychain,
or a file only you can read).

  --endpoint URL   the control plane (https only). Default: the one saved by the last login,
                   else $RUNCODE_ENDPOINT${DEFAULT_ENDPOINT ? `, else ${DEFAULT_ENDPOINT}` : ''}
  --ca FILE        an extra CA certificate to trust (the local server's ca.pem); default: the
                   saved one, or $RUNCODE_CA with $RUNCODE_ENDPOINT
  --no-browser     print the sign-in URL instead of opening a browser
`,
  options: { endpoint: { type: 'string' }, ca: { type: 'string' }, 'no-browser': { type: 'boolean' } },
  run: ({ values }) =>
    withCliApp(async (app) => {
      const { endpoint, caFile } = chooseEndpoint(values, await app.session.endpoint(), process.env);
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

/**
 * Where to sign in: --endpoint, else the saved endpoint (with its CA), else $RUNCODE_ENDPOINT
 * (with $RUNCODE_CA), else the build's default. --ca always wins for the CA.
 */
export function chooseEndpoint(
  flags: { endpoint?: string; ca?: string },
  saved: { endpoint: string; caFile?: string } | undefined,
  env: NodeJS.ProcessEnv,
  builtIn: string | undefined = DEFAULT_ENDPOINT,
): { endpoint: string; caFile?: string } {
  const fromEnv = env.RUNCODE_ENDPOINT || undefined;
  const [endpoint, ca] = flags.endpoint
    ? [flags.endpoint, undefined]
    : saved
      ? [saved.endpoint, saved.caFile]
      : fromEnv
        ? [fromEnv, env.RUNCODE_CA || undefined]
        : [builtIn, undefined];
  if (!endpoint) {
    throw new RuncodeError(
      'no_endpoint',
      'no control plane yet: pass --endpoint https://... (or set $RUNCODE_ENDPOINT; `runcode server` starts a local one)',
    );
  }
  const caFile = flags.ca ? path.resolve(flags.ca) : ca ? path.resolve(ca) : undefined;
  return { endpoint, ...(caFile ? { caFile } : {}) };
}
