import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, rmSync, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-fs';
import type { DockerEngine } from '../engine/docker-engine.js';
import { LABEL } from '../engine/labels.js';
import type { Progress } from '../startup/progress.js';
import { DebootstrapOutput, dockerBuildStep } from './build-output.js';
import { retagArchive } from './retag-archive.js';
import { seedImageStore } from './seed-image-store.js';
import { DEBIAN_SUITE, IMAGES_DIR, nodeRecipe, type NodeRecipe } from './recipe.js';

export interface BuildOptions {
  nodeImage: string;
  workDir: string;
  debianMirror: string;
  progress: Progress;
}

/**
 * Makes sure the node image exists and matches its recipe in images/. Three
 * steps, each skipped when its result is already there: a Debian base image
 * from debootstrap (slow, about a minute), the lesson images from busybox,
 * and the node image that carries them, already loaded into its image store.
 */
export async function ensureNodeImage(engine: DockerEngine, options: BuildOptions): Promise<string> {
  const recipe = nodeRecipe();
  const tag = `${options.nodeImage}:latest`;
  const labels = await engine.imageLabels(tag);
  if (labels?.[LABEL.recipe] === recipe.fullDigest) {
    options.progress.note(`node image ${tag} is up to date (recipe ${recipe.fullDigest})`);
    return tag;
  }
  options.progress.note(`building node image ${tag} (recipe ${recipe.fullDigest})`);
  const base = await ensureBaseImage(engine, recipe, options);
  await buildLessonImages(engine, recipe, base, options);
  const context = join(options.workDir, 'node-context');
  rmSync(context, { recursive: true, force: true });
  cpSync(join(IMAGES_DIR, 'node'), context, { recursive: true });
  const stage = `${options.nodeImage}:stage`;
  await inPhase(options.progress, `node image ${tag}`, async (phase) => {
    const renames = new Map(recipe.lessonImages.map((image) => [hostTag(options.nodeImage, image.tag), image.tag]));
    const archive = await engine.saveImages([...renames.keys()]);
    await pipeline(retagArchive(archive, renames), createWriteStream(join(context, 'lesson-images.tar')));
    await engine.buildImage(Readable.from(tar.pack(context)), stage, { BASE: base }, { [LABEL.recipe]: recipe.fullDigest }, (line) => {
      const step = dockerBuildStep(line);
      if (step) phase.update(step.done, step.total, step.detail);
      options.progress.note(line);
    });
  });
  rmSync(context, { recursive: true, force: true });
  // Seeded at build time, so no node loads the lesson images when it starts.
  await inPhase(options.progress, 'preloading the lesson images into the node image', () => seedImageStore(engine, stage, tag, { [LABEL.recipe]: recipe.fullDigest }));
  await engine.removeImage(stage);
  await engine.pruneDanglingImages(LABEL.recipe);
  return tag;
}

/** Runs one phase of the build, ending or failing its progress line. */
async function inPhase<T>(progress: Progress, title: string, work: (phase: ReturnType<Progress['phase']>) => Promise<T>): Promise<T> {
  const phase = progress.phase(title);
  try {
    const result = await work(phase);
    phase.end();
    return result;
  } catch (error) {
    phase.fail((error as Error).message.split('\n')[0]);
    throw error;
  }
}

async function ensureBaseImage(engine: DockerEngine, recipe: NodeRecipe, options: BuildOptions): Promise<string> {
  const tag = `${options.nodeImage}-base:${recipe.baseDigest}`;
  if (await engine.imageLabels(tag)) {
    options.progress.note(`base image ${tag} is already built`);
    return tag;
  }
  const rootfs = join(options.workDir, 'rootfs');
  rmSync(rootfs, { recursive: true, force: true });
  mkdirSync(options.workDir, { recursive: true });
  options.progress.note(`debootstrap ${DEBIAN_SUITE} with ${recipe.packages.length} packages from ${options.debianMirror}`);
  await inPhase(options.progress, `Debian ${DEBIAN_SUITE} packages for the nodes`, (phase) => {
    const output = new DebootstrapOutput();
    return run('debootstrap', ['--variant=minbase', `--include=${recipe.packages.join(',')}`, DEBIAN_SUITE, rootfs, options.debianMirror], (line) => {
      const state = output.read(line);
      phase.update(state.done, state.total, state.detail);
      options.progress.note(line, line.startsWith('W:') || line.startsWith('E:') ? 'warn' : 'info');
    });
  });
  // Documentation and package lists are dead weight in a node.
  for (const path of ['usr/share/doc', 'usr/share/man', 'usr/share/info', 'var/lib/apt/lists', 'var/cache/apt', 'var/cache/debconf/templates.dat-old']) {
    rmSync(join(rootfs, path), { recursive: true, force: true });
  }
  await inPhase(options.progress, `importing the root filesystem as ${tag}`, async () => {
    // GNU tar keeps owners, modes and special files exactly; the engine reads it as a stream.
    const tarProcess = spawn('tar', ['-C', rootfs, '--numeric-owner', '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, version] = splitTag(tag);
    await engine.importImage(tarProcess.stdout, repo, version);
  });
  rmSync(rootfs, { recursive: true, force: true });
  return tag;
}

async function buildLessonImages(engine: DockerEngine, recipe: NodeRecipe, base: string, options: BuildOptions): Promise<void> {
  await inPhase(options.progress, `${recipe.lessonImages.length} lesson images`, async (phase) => {
    for (const [index, image] of recipe.lessonImages.entries()) {
      phase.update(index, recipe.lessonImages.length, image.tag);
      await engine.buildImage(Readable.from(tar.pack(join(IMAGES_DIR, 'lessons', image.context))), hostTag(options.nodeImage, image.tag), { ...image.args, BASE: base }, { [LABEL.recipe]: recipe.fullDigest }, (line) => options.progress.note(line));
    }
    phase.update(recipe.lessonImages.length, recipe.lessonImages.length);
  });
}

/** On the host, lesson images live under the node image's name so they never replace a user's own images. */
function hostTag(nodeImage: string, lessonTag: string): string {
  return `${nodeImage}-lessons/${lessonTag}`;
}

function splitTag(tag: string): [string, string] {
  const index = tag.lastIndexOf(':');
  return [tag.slice(0, index), tag.slice(index + 1)];
}

function run(command: string, args: string[], log: (line: string) => void): Promise<void> {
  if (!existsSync(`/usr/sbin/${command}`) && !existsSync(`/usr/bin/${command}`)) {
    return Promise.reject(new Error(`${command} is not installed (on Debian: apt-get install ${command}); scripts/prepare-host.sh installs it`));
  }
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    let partial = '';
    const onData = (chunk: Buffer) => {
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop()!;
      for (const line of lines) if (line.trim()) log(line);
      tail = (tail + chunk.toString()).slice(-2000);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}: ${tail}`))));
  });
}
