// Bundles the CLI into dist/ with code splitting, so `hermes --version` loads one small file
// and each provider SDK (and later the TUI) is a chunk loaded only when used.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Ink's Output.get lays each frame into a grid of styled cells, character by character; for
// plain side-by-side text src/tui/ink-output.ts gives the same rows without that. The patch
// replaces an exact piece of Ink's code: if Ink changes, the build fails here, to be looked at.
const INK_OUTPUT_GET = '    get() {\n        // Initialize output array with a specific set of rows';
const inkOutputFastPath = {
  name: 'ink-output-fast-path',
  setup(esbuild) {
    esbuild.onLoad({ filter: /[\\/]ink[\\/]build[\\/]output\.js$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      if (source.split(INK_OUTPUT_GET).length !== 2) {
        throw new Error(`scripts/build.mjs: ${args.path} no longer has the Output.get the fast path patches; check src/tui/ink-output.ts against this Ink version`);
      }
      const fast = JSON.stringify(fileURLToPath(new URL('../src/tui/ink-output.ts', import.meta.url)));
      const get = '    get() {\n        return hermesFastOutput(this.operations, this.height) ?? this.inkGet();\n    }\n';
      const contents = `import { fastOutput as hermesFastOutput } from ${fast};\n${source.replace(INK_OUTPUT_GET, `${get}    inkGet() {\n        // Initialize output array with a specific set of rows`)}`;
      return { contents, loader: 'js' };
    });
  },
};

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: { cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'bundle',
  // Ink imports react-devtools-core only when DEV=true (never in hermes); it is not installed.
  external: ['react-devtools-core'],
  // See the shim: grammY's AbortController polyfill does not survive bundling.
  alias: { 'abort-controller': './scripts/shims/abort-controller.cjs' },
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: false,
  // The version is fixed at build time: `hermes --version` reads no file at all.
  define: { 'process.env.NODE_ENV': '"production"', __HERMES_VERSION__: JSON.stringify(version) },
  // Some bundled CommonJS dependencies call require(); give ESM chunks a real one.
  banner: { js: "import { createRequire as __hermesCreateRequire } from 'node:module'; const require = __hermesCreateRequire(import.meta.url);" },
  logLevel: 'warning',
  plugins: [inkOutputFastPath],
});
