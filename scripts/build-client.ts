import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * Bundles the pages: the workspace (client/src/main.ts → app.js), the join page (join.ts → join.js) and the
 * instructor's page (instructor.ts → instructor.js), plus their HTML and the styles.
 */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'client/src');
const dist = join(root, 'client/dist');
const require = createRequire(import.meta.url);

export async function buildClient(options: { minify?: boolean } = {}): Promise<void> {
  mkdirSync(dist, { recursive: true });
  await build({
    entryPoints: { app: join(src, 'main.ts'), join: join(src, 'join.ts'), instructor: join(src, 'instructor.ts') },
    outdir: dist,
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: options.minify ?? true,
    sourcemap: true,
    logLevel: 'warning',
  });
  for (const page of ['index.html', 'join.html', 'instructor.html']) copyFileSync(join(src, page), join(dist, page));
  copyFileSync(join(src, 'styles.css'), join(dist, 'styles.css'));
  copyFileSync(require.resolve('@xterm/xterm/css/xterm.css'), join(dist, 'xterm.css'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildClient();
  console.log(`client built into ${dist}`);
}
