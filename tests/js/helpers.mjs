// Shared by the Node tests of docs/assets/lib/ (node --test tests/js/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = new URL('../../', import.meta.url);

// The modules under test: the sources, or another copy of the assets folder (GD_ASSETS), such as the
// built site's minified one (tests/test_js_modules.py), so that minifying is tested too.
const ASSETS = process.env.GD_ASSETS ? pathToFileURL(process.env.GD_ASSETS.replace(/\/?$/, '/')) : new URL('docs/assets/', ROOT);

/** A module of the site's assets, by its path under assets/ (lib/format.js). */
export function load(path) {
  return import(new URL(path, ASSETS).href);
}

let fixtures = null;

/** What the builder itself makes of the same inputs (tests/js/fixtures.py): numbers, columns, folding, table. */
export function builder() {
  if (!fixtures) {
    const venv = fileURLToPath(new URL('.venv/bin/python', ROOT));
    const python = process.env.PYTHON || (existsSync(venv) ? venv : 'python3');
    const run = spawnSync(python, [fileURLToPath(new URL('tests/js/fixtures.py', ROOT))], { encoding: 'utf8', maxBuffer: 1 << 26 });
    if (run.status !== 0) throw new Error(`tests/js/fixtures.py failed (${python}): ${run.stderr || run.error}`);
    fixtures = JSON.parse(run.stdout);
  }
  return fixtures;
}
