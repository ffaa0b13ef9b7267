// Builds pmx-dash's web bundle into one directory (default: dist/), from packages installed by
// `npm ci` (scripts/install-deps.sh): htmx.min.js and chart.umd.min.js copied from node_modules,
// pmx.css compiled by the Tailwind CLI from src/input.css (classes found in ../*.cpp and
// src/app.js), and src/app.js. Nothing is fetched: pmx-dash serves this directory as /static.
//
//   node build.mjs [OUT_DIR]
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = resolve(process.argv[2] ?? join(here, 'dist'));
mkdirSync(out, { recursive: true });

const copies = [
  ['node_modules/htmx.org/dist/htmx.min.js', 'htmx.min.js'],
  ['node_modules/chart.js/dist/chart.umd.min.js', 'chart.umd.min.js'],
  ['src/app.js', 'app.js'],
];
for (const [from, to] of copies) copyFileSync(join(here, from), join(out, to));

const tailwind = spawnSync(
  process.execPath,
  [join(here, 'node_modules/tailwindcss/lib/cli.js'), '-c', join(here, 'tailwind.config.js'), '-i',
    join(here, 'src/input.css'), '-o', join(out, 'pmx.css'), '--minify'],
  { cwd: here, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, BROWSERSLIST_IGNORE_OLD_DATA: '1' } },
);
if (tailwind.status !== 0) {
  console.error(`build.mjs: tailwindcss failed (exit ${tailwind.status})`);
  process.exit(1);
}
console.log(`build.mjs: bundle written to ${out}`);
