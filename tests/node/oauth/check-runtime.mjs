// Preloaded (node --import) by the OAuth test: oidc-provider 9 needs URL.parse and crypto.hash
// (Node.js 20.18 or newer; its supported runtime is Node.js 22 LTS or newer). Fails with the way
// out instead of a TypeError deep inside the authorization server.
import crypto from 'node:crypto';

if (typeof URL.parse !== 'function' || typeof crypto.hash !== 'function') {
  process.stderr.write(
    `the OAuth e2e test cannot run on Node.js ${process.version}: oidc-provider 9 needs Node.js 22 ` +
      '(20.18 at the very least). The pinned Node.js 22 from npm (scripts/node22) does:\n' +
      '  npm ci --prefix scripts/node22        (scripts/setup.sh does this)\n' +
      '  cmake -DMCPH_NODE_EXECUTABLE="$PWD/scripts/node22/node_modules/node/bin/node" build\n' +
      '  (scripts/test.sh configures it so)\n',
  );
  process.exit(1);
}
