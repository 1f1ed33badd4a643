// `npm run build -w bridge-service`: the server and the finops-bridge CLI as plain JavaScript in dist/, for
// `node` with production dependencies only (what the Dockerfile and an App Service deployment run). The
// sources are bundled (ESM, Node 20+), npm packages stay external and resolve from node_modules at run time.
// The admin console's script (controls/admin-console, React, Fluent UI and MSAL in one file) goes to
// dist/admin/console.js, which the built server serves at /admin/console.js.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
rmSync(new URL('../dist', import.meta.url), { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { server: 'src/server.ts', cli: 'src/cli/main.ts' },
  outdir: 'dist',
  bundle: true,
  packages: 'external',
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  logLevel: 'warning',
  metafile: true,
});
// The same options as CONSOLE_BUILD in src/http/console/assets.ts (which bundles it on the fly when run from source).
const consoleResult = await build({
  absWorkingDir: root,
  entryPoints: { 'admin/console': '../controls/admin-console/main.tsx' },
  outdir: 'dist',
  bundle: true, minify: true, format: 'iife', platform: 'browser', target: 'es2019', jsx: 'transform',
  define: { 'process.env.NODE_ENV': '"production"' }, loader: { '.resx': 'text' }, logLevel: 'warning', legalComments: 'none',
  tsconfigRaw: {},
  metafile: true,
});
for (const [file, out] of Object.entries({ ...result.metafile.outputs, ...consoleResult.metafile.outputs })) {
  if (file.endsWith('.js')) console.log(`bridge-service: wrote ${file} (${Math.round(out.bytes / 1024)} KB)`);
}
