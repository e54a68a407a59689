// Signs one user in at mcp-host's own authorization server (provider "local") the way a client
// and its browser do, with Node's built-ins only, and writes the access token to a file, for
// the store benchmark (bench/run.sh host-store-sqlite / host-store-redis).
//
//   node bench/sign-in.mjs users FILE               writes a users file with one bench user
//   node bench/sign-in.mjs token MCP_URL FILE       registers, signs in, consents, redeems the
//                                                   code, writes the access token to FILE
//
// Only 127.0.0.1 is contacted; every request has a timeout.
import { createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const USER = { username: 'bench', password: 'bench-password-not-secret', email: 'bench@example.com' };
const TIMEOUT_MS = 10_000;
const b64url = (buf) => Buffer.from(buf).toString('base64url');

function fail(message) {
  console.error(`bench/sign-in.mjs: ${message}`);
  process.exit(1);
}

async function request(url, init = {}) {
  if (new URL(url).hostname !== '127.0.0.1') fail(`refusing to contact ${url}`);
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS), ...init });
}

// The hidden fields of the one form on the sign-in and consent page.
function formFields(html) {
  const fields = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields[m[1]] = m[2].replaceAll('&amp;', '&').replaceAll('&quot;', '"');
  }
  const action = /<form method="post" action="([^"]+)">/.exec(html)?.[1]?.replaceAll('&amp;', '&');
  return { fields, action };
}

async function token(mcpUrl, outFile) {
  const base = new URL(mcpUrl).origin;
  const redirectUri = 'http://127.0.0.1:9/callback';
  const reg = await request(`${base}/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_name: 'bench', redirect_uris: [redirectUri], token_endpoint_auth_method: 'none' }),
  });
  if (reg.status !== 201) fail(`/register answered ${reg.status}: ${await reg.text()}`);
  const clientId = (await reg.json()).client_id;
  const verifier = b64url(randomBytes(32));
  const challenge = b64url(createHash('sha256').update(verifier).digest());
  const state = b64url(randomBytes(12));
  const authorize = new URL(`${base}/authorize`);
  for (const [k, v] of Object.entries({
    response_type: 'code', client_id: clientId, redirect_uri: redirectUri, state,
    code_challenge: challenge, code_challenge_method: 'S256', resource: mcpUrl,
  })) authorize.searchParams.set(k, v);
  const page = await request(authorize);
  const cookies = (page.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const html = await page.text();
  if (page.status !== 200) fail(`/authorize answered ${page.status}: ${html.slice(0, 300)}`);
  const { fields, action } = formFields(html);
  if (!action) fail('no sign-in form on the authorization page');
  const form = new URLSearchParams({ ...fields, username: USER.username, password: USER.password, decision: 'approve' });
  const posted = await request(new URL(action, base), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: cookies, origin: base },
    body: form.toString(),
  });
  const location = posted.headers.get('location');
  if (posted.status !== 302 || !location) fail(`the sign-in form answered ${posted.status}: ${(await posted.text()).slice(0, 300)}`);
  const code = new URL(location).searchParams.get('code');
  if (!code) fail(`no code in ${location}`);
  const tok = await request(`${base}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code', code, redirect_uri: redirectUri, client_id: clientId,
      code_verifier: verifier, resource: mcpUrl,
    }).toString(),
  });
  if (tok.status !== 200) fail(`/token answered ${tok.status}: ${await tok.text()}`);
  writeFileSync(outFile, (await tok.json()).access_token, { mode: 0o600 });
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'users' && args.length === 1) {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(USER.password, salt, 100_000, 32, 'sha256');
  const password = `pbkdf2-sha256$100000$${b64url(salt)}$${b64url(hash)}`;
  writeFileSync(args[0], JSON.stringify({ users: [{ ...USER, password }] }), { mode: 0o600 });
} else if (mode === 'token' && args.length === 2) {
  await token(args[0], args[1]);
} else {
  fail('usage: sign-in.mjs users FILE | sign-in.mjs token MCP_URL FILE');
}
