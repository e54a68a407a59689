// The test plugin with scope-protected tools (scoped.so, built into build/test-plugins), for the
// OAuth tests that need tools a token's scopes may not cover.
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { hostPaths } from '../lib/host.mjs';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** The path of scoped.so (MCPH_TEST_PLUGINS_DIR, default build/test-plugins), or undefined when it was not built. */
export function scopedPluginPath() {
  const dir = process.env.MCPH_TEST_PLUGINS_DIR || path.join(REPO_ROOT, 'build', 'test-plugins');
  const file = path.join(dir, 'scoped.so');
  return existsSync(file) ? file : undefined;
}

/**
 * A temporary plugin directory with the regular plugins plus scoped.so (when built; otherwise
 * pluginsDir is undefined: the host's default). `tempDirs` (a Set) tracks it until cleanup().
 */
export async function pluginsDirWithScoped(tempDirs) {
  const scoped = scopedPluginPath();
  if (!scoped) return { pluginsDir: undefined, cleanup: async () => {} };
  const dir = await mkdtemp(path.join(tmpdir(), 'mcph-oauth-plugins-'));
  tempDirs.add(dir);
  const { pluginsDir } = hostPaths();
  for (const name of await readdir(pluginsDir)) {
    if (name.endsWith('.so')) await copyFile(path.join(pluginsDir, name), path.join(dir, name));
  }
  await copyFile(scoped, path.join(dir, 'scoped.so'));
  return {
    pluginsDir: dir,
    cleanup: async () => {
      await rm(dir, { recursive: true, force: true });
      tempDirs.delete(dir);
    },
  };
}
