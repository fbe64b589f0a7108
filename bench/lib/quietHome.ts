// Imported first by the groups whose commands run a shell in the workspace (cli, connect): the
// local server runs workspace commands as this user with the server's $HOME, and bash sources
// ~/.bashrc when started over SSH. A developer's rc file then becomes part of every figure: on
// the shared bench machine ~/.bashrc runs `pyenv init`, whose rehash waits on a lock held by
// other users' shells (seconds to a minute), which made `ssh NAME true` bimodal. An empty HOME
// measures what we and OpenSSH do, not the dotfiles.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'rc-bench-home-'));
process.env.HOME = home;
process.on('exit', () => fs.rmSync(home, { recursive: true, force: true }));
