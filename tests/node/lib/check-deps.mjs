// Preloaded (node --import) before the test runner starts: fails loudly, instead of with a bare
// ERR_MODULE_NOT_FOUND, when the npm dependencies are missing or not the pinned versions.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const fix = `run: npm ci --prefix ${path.relative(process.cwd(), root) || '.'}`;

function fail(message) {
  process.stderr.write(`node e2e tests cannot run: ${message}\n  ${fix}\n`);
  process.exit(1);
}

const major = Number(process.versions.node.split('.')[0]);
if (major < 20) fail(`Node.js 20 or newer is required, this is ${process.version}`);

const wanted = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).dependencies ?? {};
for (const [name, version] of Object.entries(wanted)) {
  let installed;
  try {
    installed = JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    fail(`${path.join(root, 'node_modules', name)} is missing`);
  }
  if (installed !== version) fail(`${name} ${installed} is installed but package.json pins ${version}`);
}
