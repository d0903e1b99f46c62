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
// Node's built-in modules are loaded with require(), not import: an `import` of a built-in
// makes Node build an ES module facade of it, which reads every export and so runs every
// lazy getter. `import 'node:fs'` alone loads fs/promises, readline and the stream modules
// (27 more internal modules), `node:crypto` the Web Crypto API, `node:util` and `node:dns`
// theirs; about a tenth of a one-shot `probe`'s CPU (docs/performance.md, CLI start-up).
// require() hands over the module's exports object as it is, and the getters run only when
// code uses them.
//
// BUNDLE_INPUTS (dist/cli-bundle-inputs.json) lists the source files inside each output file:
// the lazy-loading test maps the files a run loaded back to the packages they carry.
import { build } from 'esbuild';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * The project's sources with every character outside ASCII written as a \uXXXX escape.
 * V8 stores a module's source text on the heap, one byte per character only if every
 * character fits in Latin-1. esbuild escapes what it can, but not in tagged templates (an
 * escape would change their raw strings): the status page's html`` templates, with their
 * "—", "≠" and "←", made the 1.1 MB web chunk a 2.1 MiB two-byte string, the largest single
 * object in an idle serve's heap. The html tag reads the cooked strings, which an escape
 * leaves as they were; nothing in src/ reads a template's raw strings. Lines that hold such
 * a character are a few columns longer in the map's idea of the source: lines stay right.
 */
const asciiSources = {
  name: 'ascii-sources',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, (args) => {
      if (!args.path.startsWith(join(REPO, 'src'))) return undefined;
      const text = readFileSync(args.path, 'utf8');
      if (!/[\x80-\uffff]/.test(text)) return undefined;
      return {
        contents: text.replace(
          /[\x80-\uffff]/g,
          (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
        ),
        loader: 'ts',
      };
    });
  },
};

const BUILTIN_NAMESPACE = 'node-builtin';

/**
 * node:util's lazy exports are V8 lazy data properties: even reading their descriptors loads
 * them (parseArgs, TextDecoder, diff, setTraceSigInt: the assert diff and worker_threads),
 * and esbuild's CommonJS interop reads every descriptor. So its stand-in exports only the
 * names the bundle imports; one missing here fails the build with "No matching export".
 */
const NAMED_EXPORTS = new Map([
  ['node:util', ['parseArgs', 'promisify', 'debuglog', 'TextDecoder']],
]);

const requireBuiltins = {
  name: 'require-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:/ }, (args) => {
      // The require() inside the stand-in module below is the real built-in.
      if (args.namespace === BUILTIN_NAMESPACE) return { path: args.path, external: true };
      // CommonJS packages' own require() calls stay as they are (they read whole modules).
      if (args.kind === 'require-call') return undefined;
      return { path: args.path, namespace: BUILTIN_NAMESPACE };
    });
    b.onLoad({ filter: /.*/, namespace: BUILTIN_NAMESPACE }, (args) => {
      const load = `require(${JSON.stringify(args.path)})`;
      const names = NAMED_EXPORTS.get(args.path);
      // A CommonJS stand-in: esbuild reads named imports from it as properties at use time.
      if (!names) return { contents: `module.exports = ${load};`, loader: 'js' };
      return {
        contents: `const m = ${load};\nexport default m;\nexport const { ${names.join(', ')} } = m;`,
        loader: 'js',
      };
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
  plugins: [keepUrlLocatedModules, requireBuiltins, asciiSources],
  // fastify require()s its default schema compilers only when no compilers are given, and
  // src/web/server.ts gives its own (no route declares a schema): bundled, ajv and
  // fast-json-stringify would be ~0.4 MB of the web chunk's source text on the heap of
  // every serve, for code that never runs. Left out, the require() stays and would find
  // them in node_modules, where fastify's dependencies put them.
  external: ['@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler'],
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
