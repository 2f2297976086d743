import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** Where the image recipes live in the repository. */
export const IMAGES_DIR = new URL('../../images/', import.meta.url).pathname;
export const DEBIAN_SUITE = 'bookworm';
/** Bump when the build steps in node-image-builder.ts change in a way the recipe files do not show. */
export const BUILDER_VERSION = '3';

const LessonImageSchema = z.object({
  tag: z.string().regex(/^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9._-]+$/),
  context: z.string().regex(/^[a-z0-9-]+$/),
  args: z.record(z.string(), z.string()).default({}),
});
export type LessonImage = z.infer<typeof LessonImageSchema>;

export function readLessonImages(imagesDir = IMAGES_DIR): LessonImage[] {
  const raw = parseYaml(readFileSync(join(imagesDir, 'lessons/images.yaml'), 'utf8'));
  return z.array(LessonImageSchema).min(1).parse(raw);
}

export function readNodePackages(imagesDir = IMAGES_DIR): string[] {
  return readFileSync(join(imagesDir, 'node/packages.txt'), 'utf8')
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter(Boolean);
}

/** A digest of every file under a folder (names and contents), so any change to a recipe changes it. */
export function hashTree(dir: string, hash = createHash('sha256'), root = dir): ReturnType<typeof createHash> {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) hashTree(path, hash, root);
    else hash.update(relative(root, path)).update('\0').update(String(stat.mode & 0o111)).update(readFileSync(path)).update('\0');
  }
  return hash;
}

export interface NodeRecipe {
  /** Changes when the Debian package list or suite changes: the slow debootstrap step. */
  baseDigest: string;
  /** Changes when anything in images/ changes. */
  fullDigest: string;
  packages: string[];
  lessonImages: LessonImage[];
}

export function nodeRecipe(imagesDir = IMAGES_DIR): NodeRecipe {
  const packages = readNodePackages(imagesDir);
  const baseDigest = createHash('sha256').update(DEBIAN_SUITE).update(packages.join('\n')).digest('hex').slice(0, 16);
  const fullDigest = hashTree(imagesDir).update(baseDigest).update(BUILDER_VERSION).digest('hex').slice(0, 16);
  return { baseDigest, fullDigest, packages, lessonImages: readLessonImages(imagesDir) };
}
