import { Readable } from 'node:stream';
import tarStream from 'tar-stream';

/**
 * Renames the image tags inside a `docker save` archive. Lesson images are
 * built on the host under a namespaced name (so we never overwrite a
 * teacher's own `busybox:latest`) and appear inside the nodes under the
 * short names the lessons use (`web:1`).
 */
export function retagArchive(input: Readable, renames: Map<string, string>): Readable {
  const extract = tarStream.extract();
  const pack = tarStream.pack();
  extract.on('entry', (header, stream, next) => {
    if (header.name !== 'manifest.json' && header.name !== 'repositories') {
      stream.pipe(pack.entry(header, next));
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (chunk) => chunks.push(chunk as Buffer));
    stream.on('end', () => {
      const json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const body = Buffer.from(JSON.stringify(header.name === 'manifest.json' ? renameManifest(json, renames) : renameRepositories(json, renames)));
      pack.entry({ ...header, size: body.length }, body, next);
    });
  });
  extract.on('finish', () => pack.finalize());
  extract.on('error', (error) => pack.destroy(error));
  input.on('error', (error) => pack.destroy(error));
  input.pipe(extract);
  return Readable.from(pack);
}

interface ManifestEntry {
  RepoTags?: string[] | null;
}

export function renameManifest(entries: ManifestEntry[], renames: Map<string, string>): ManifestEntry[] {
  return entries.map((entry) => ({ ...entry, RepoTags: entry.RepoTags?.map((tag) => renames.get(tag) ?? tag) ?? null }));
}

export function renameRepositories(repositories: Record<string, Record<string, string>>, renames: Map<string, string>): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [repo, tags] of Object.entries(repositories)) {
    for (const [tag, id] of Object.entries(tags)) {
      const renamed = renames.get(`${repo}:${tag}`) ?? `${repo}:${tag}`;
      const index = renamed.lastIndexOf(':');
      (out[renamed.slice(0, index)] ??= {})[renamed.slice(index + 1)] = id;
    }
  }
  return out;
}
