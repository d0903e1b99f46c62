// Bundles the CLI (after `tsc` has built dist/): dist/cli.js becomes one entry file that
// loads each command's code as a few chunk files instead of hundreds of modules. Node's ES
// module loader costs about half a millisecond of CPU per module it resolves, reads and
// links, and a one-shot `check` loaded ~390 of them; the bundle cuts `probe`'s and
// `check`'s start-up CPU by about a third to a half (docs/performance.md, CLI start-up).
//
// The commands stay lazy: esbuild's code splitting turns each `import()` of src/cli.ts into
// a chunk of its own, so `--version` still loads no command, no schema and no web server.
//
// Three modules find a file next to themselves through `import.meta.url`; bundled, that URL
// would be the chunk's and the file would not be found. They are left out of the bundle and
// imported from where tsc put them (dist/version.js, dist/web/auth/bcrypt-queue.js,
// dist/lab/adba/slapd.js), so their relative URLs keep pointing at package.json, the bcrypt
// worker and the slapd schema. Every chunk lives in dist/ itself, so one relative path per
// module is right for every chunk. None of the three holds state another module shares.
//
// BUNDLE_INPUTS (dist/cli-bundle-inputs.json) lists the source files inside each output file:
// the lazy-loading test maps the files a run loaded back to the packages they carry.
import { build } from 'esbuild';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(REPO, 'dist');
const CHUNK_PREFIX = 'cli-';
export const BUNDLE_INPUTS = join(DIST, 'cli-bundle-inputs.json');

/** Source files located through import.meta.url, and where tsc's output of each sits in dist/. */
const LOCATED_BY_URL = new Map(
  ['version.ts', 'web/auth/bcrypt-queue.ts', 'lab/adba/slapd.ts'].map((file) => [
    resolve(REPO, 'src', file),
    `./${file.replace(/\.ts$/, '.js')}`,
  ]),
);

const keepUrlLocatedModules = {
  name: 'keep-url-located-modules',
  setup(b) {
    b.onResolve({ filter: /\.js$/ }, (args) => {
      if (args.kind === 'entry-point' || !args.importer.startsWith(join(REPO, 'src'))) return;
      const source = resolve(args.resolveDir, args.path.replace(/\.js$/, '.ts'));
      const inDist = LOCATED_BY_URL.get(source);
      return inDist ? { path: inDist, external: true } : undefined;
    });
  },
};

// Chunks of an earlier build: their names carry content hashes, so they would pile up.
for (const name of readdirSync(DIST)) {
  if (name.startsWith(CHUNK_PREFIX)) rmSync(join(DIST, name));
}

const result = await build({
  entryPoints: [join(REPO, 'src', 'cli.ts')],
  outdir: DIST,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  chunkNames: `${CHUNK_PREFIX}[name]-[hash]`,
  sourcemap: 'linked',
  // Node keeps every module's source text in the heap: without comments and indentation an
  // idle `serve` holds ~3 MiB less of it (7.9 → 4.8 MiB of strings in a heap snapshot).
  // Names stay, so stack traces still name functions; `node --enable-source-maps` maps
  // their positions back to src/ through the .map files next to the chunks.
  minifyWhitespace: true,
  minifySyntax: true,
  metafile: true,
  logLevel: 'warning',
  plugins: [keepUrlLocatedModules],
  // CommonJS packages (dns-packet, pino's helpers) call require(); an ES module has none.
  banner: {
    js: "import { createRequire as __kmsCreateRequire } from 'node:module'; const require = __kmsCreateRequire(import.meta.url);",
  },
});

const inputs = Object.fromEntries(
  Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .map(([file, output]) => [relative(DIST, resolve(REPO, file)), Object.keys(output.inputs)]),
);
writeFileSync(BUNDLE_INPUTS, `${JSON.stringify(inputs, null, 1)}\n`);
