// The site's own scripts as a whole (docs/assets/**/*.js, the sources): one dialect, no helper defined
// twice, no globals between scripts, imports that resolve, and the modules site.js requests together.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { test } from 'node:test';
import { ROOT } from './helpers.mjs';

const ASSETS = new URL('docs/assets/', ROOT);

function scripts(folder = ASSETS) {
  return readdirSync(folder).flatMap((name) => {
    const url = new URL(name, folder);
    if (statSync(url).isDirectory()) return scripts(new URL(name + '/', folder));
    return name.endsWith('.js') ? [url] : [];
  });
}

const files = scripts().map((url) => ({ name: url.href.slice(ASSETS.href.length), url, source: readFileSync(url, 'utf8') }));
// Comments and strings out, so that a word in them is not taken for code.
const code = (source) => source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:\\])\/\/.*$/gm, '$1')
  .replace(/'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"|`(?:\\.|[^`\\])*`/g, '""');

function imports(file) {
  return [...file.source.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?['"]([^'"]+)['"]/gm)].map((m) => new URL(m[1], file.url).href);
}

test('the fixtures find the scripts', () => {
  for (const name of ['site.js', 'search.js', 'directory.js', 'lib/dom.js', 'lib/format.js']) {
    assert.ok(files.some((f) => f.name === name), name);
  }
});

test('no function, class or helper is defined in two scripts', () => {
  const where = new Map();
  for (const file of files) {
    const names = [...code(file.source).matchAll(
      /^\s*(?:export\s+)?(?:async\s+)?(?:function\s*\*?\s*([A-Za-z_$][\w$]*)|class\s+([A-Za-z_$][\w$]*)|(?:const|let|var)\s+([A-Za-z_$][\w$]*)\s*=\s*(?:async\s*)?(?:function\b|\([^)]*\)\s*=>|[A-Za-z_$][\w$]*\s*=>))/gm,
    )].map((m) => m[1] || m[2] || m[3]);
    for (const name of new Set(names)) where.set(name, [...(where.get(name) || []), file.name]);
  }
  const twice = [...where].filter(([, in_]) => in_.length > 1);
  assert.deepEqual(twice, [], 'defined more than once: ' + twice.map(([n, f]) => `${n} (${f.join(', ')})`).join('; '));
  assert.ok(where.has('formatNumber') && where.has('el') && where.has('fetchJSON'), 'the scan sees the helpers');
});

test('one dialect: ES modules, no classic wrappers, no var, no "use strict"', () => {
  for (const file of files) {
    const body = code(file.source);
    assert.doesNotMatch(body, /^\(function\s*\(/m, `${file.name}: an IIFE`);
    assert.doesNotMatch(body, /\bvar\s/, `${file.name}: var`);
    assert.doesNotMatch(file.source, /['"]use strict['"]/, `${file.name}: "use strict" (modules are strict)`);
  }
});

test('scripts talk through imports, not globals, and no instant-navigation code is left', () => {
  for (const file of files) {
    const body = code(file.source);
    assert.doesNotMatch(body, /document\$/, `${file.name}: Material's document$ (instant navigation is off)`);
    const set = [...body.matchAll(/window\.([A-Za-z_$][\w$]*)\s*=(?!=)/g)].map((m) => m[1]);
    assert.deepEqual(set, [], `${file.name} sets window.${set}`);
  }
  const mkdocs = readFileSync(new URL('mkdocs.yml', ROOT), 'utf8');
  assert.doesNotMatch(mkdocs, /^\s*-\s*navigation\.instant\b/m, 'instant navigation would need the document$ code back');
});

test('pure modules import nothing that touches the page', () => {
  for (const name of ['lib/format.js', 'lib/columns.js', 'lib/directory-state.js', 'lib/search-rank.js', 'lib/chart-options.js']) {
    const file = files.find((f) => f.name === name);
    assert.ok(file, name);
    assert.doesNotMatch(code(file.source), /\b(document|window|location|history|localStorage)\b/, name);
    for (const target of imports(file)) assert.notEqual(target, new URL('lib/dom.js', ASSETS).href, `${name} imports lib/dom.js`);
  }
});

test('every import names a script that exists', () => {
  const known = new Set(files.map((f) => f.url.href));
  for (const file of files) for (const target of imports(file)) assert.ok(known.has(target), `${file.name} → ${target}`);
});

test('site.js requests the search module together with everything it imports', () => {
  const site = files.find((f) => f.name === 'site.js');
  const listed = JSON.parse(site.source.match(/const SEARCH = (\[[^\]]*\])/)[1].replace(/'/g, '"')).map((p) => new URL(p, site.url).href);
  const graph = new Set();
  const visit = (href) => {
    if (graph.has(href)) return;
    graph.add(href);
    imports(files.find((f) => f.url.href === href)).forEach(visit);
  };
  visit(new URL('search.js', ASSETS).href);
  assert.deepEqual([...listed].sort(), [...graph].sort());
});
