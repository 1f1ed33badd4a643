// `npm run build -w bridge-service`: the server and the finops-bridge CLI as plain JavaScript in dist/, for
// `node` with production dependencies only (what the Dockerfile and an App Service deployment run). The
// sources are bundled (ESM, Node 20+), npm packages stay external and resolve from node_modules at run time.
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
for (const [file, out] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.js')) console.log(`bridge-service: wrote ${file} (${Math.round(out.bytes / 1024)} KB)`);
}
