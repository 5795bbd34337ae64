// Bundles the CLI into dist/ with code splitting, so `hermes --version` loads one small file
// and each provider SDK (and later the TUI) is a chunk loaded only when used.
import { build } from 'esbuild';
import { readFileSync, rmSync } from 'node:fs';

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
  minifySyntax: true,
  legalComments: 'none',
  sourcemap: false,
  // The version is fixed at build time: `hermes --version` reads no file at all.
  define: { 'process.env.NODE_ENV': '"production"', __HERMES_VERSION__: JSON.stringify(version) },
  // Some bundled CommonJS dependencies call require(); give ESM chunks a real one.
  banner: { js: "import { createRequire as __hermesCreateRequire } from 'node:module'; const require = __hermesCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
