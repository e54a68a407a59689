// A local token issuer for the authenticated benchmark: a fresh P-256 key, its JWKS and OIDC
// discovery document served on 127.0.0.1 (a free port), and one ES256 access token for the
// host's audience written to a file (never printed). Node's own crypto and http, no packages.
//
//   node bench/issuer.mjs TOKEN_FILE AUDIENCE
// prints "issuer listening on http://127.0.0.1:PORT" once ready; stops on SIGTERM.
import { createServer } from 'node:http';
import { generateKeyPairSync, createSign } from 'node:crypto';
import { writeFileSync } from 'node:fs';

const [tokenFile, audience] = process.argv.slice(2);
if (!tokenFile || !audience) {
  console.error('usage: node issuer.mjs TOKEN_FILE AUDIENCE');
  process.exit(2);
}

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const jwk = { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' };
const b64url = (data) => Buffer.from(data).toString('base64url');

function sign(claims) {
  const head = b64url(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'bench' }));
  const body = b64url(JSON.stringify(claims));
  const signer = createSign('SHA256');
  signer.update(`${head}.${body}`);
  const signature = signer.sign({ key: privateKey, dsaEncoding: 'ieee-p1363' });
  return `${head}.${body}.${b64url(signature)}`;
}

const server = createServer((req, res) => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const send = (obj) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(obj));
  };
  if (req.url === '/.well-known/openid-configuration' ||
      req.url === '/.well-known/oauth-authorization-server') {
    send({ issuer: base, jwks_uri: `${base}/jwks`, authorization_endpoint: `${base}/authorize`,
           token_endpoint: `${base}/token`, response_types_supported: ['code'],
           code_challenge_methods_supported: ['S256'] });
  } else if (req.url === '/jwks') {
    send({ keys: [jwk] });
  } else {
    res.writeHead(404).end();
  }
});

server.listen(0, '127.0.0.1', () => {
  const base = `http://127.0.0.1:${server.address().port}`;
  const now = Math.floor(Date.now() / 1000);
  writeFileSync(tokenFile, sign({ iss: base, aud: audience, sub: 'bench-user', email: 'bench@example.test',
                                  name: 'Bench User', scope: 'mcp', iat: now, exp: now + 3600 }) + '\n',
                { mode: 0o600 });
  console.log(`issuer listening on ${base}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
