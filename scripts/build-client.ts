import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundles the workspace page: client/src/main.ts → client/dist/app.js, plus index.html and the styles. */
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'client/src');
const dist = join(root, 'client/dist');
const require = createRequire(import.meta.url);

export async function buildClient(options: { minify?: boolean } = {}): Promise<void> {
  mkdirSync(dist, { recursive: true });
  await build({
    entryPoints: [join(src, 'main.ts')],
    outfile: join(dist, 'app.js'),
    bundle: true,
    format: 'esm',
    target: ['es2022'],
    minify: options.minify ?? true,
    sourcemap: true,
    logLevel: 'warning',
  });
  copyFileSync(join(src, 'index.html'), join(dist, 'index.html'));
  copyFileSync(join(src, 'styles.css'), join(dist, 'styles.css'));
  copyFileSync(require.resolve('@xterm/xterm/css/xterm.css'), join(dist, 'xterm.css'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await buildClient();
  console.log(`client built into ${dist}`);
}
