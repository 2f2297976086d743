import { Readable } from 'node:stream';
import tarStream from 'tar-stream';
import { describe, expect, it } from 'vitest';
import { retagArchive } from '../../../server/images/retag-archive.js';

async function archive(files: Record<string, string>): Promise<Readable> {
  const pack = tarStream.pack();
  for (const [name, body] of Object.entries(files)) pack.entry({ name }, body);
  pack.finalize();
  return Readable.from(pack);
}

async function read(stream: Readable): Promise<Record<string, string>> {
  const extract = tarStream.extract();
  const out: Record<string, string> = {};
  stream.pipe(extract as unknown as NodeJS.WritableStream);
  for await (const entry of extract) {
    const chunks: Buffer[] = [];
    for await (const chunk of entry) chunks.push(chunk as Buffer);
    out[entry.header.name] = Buffer.concat(chunks).toString();
  }
  return out;
}

describe('retagArchive', () => {
  it('renames tags in manifest.json and repositories and leaves layers alone', async () => {
    const input = await archive({
      'manifest.json': JSON.stringify([{ Config: 'a.json', RepoTags: ['ns/lessons/web:1', 'other:x'], Layers: ['l/layer.tar'] }]),
      repositories: JSON.stringify({ 'ns/lessons/web': { '1': 'abc' } }),
      'l/layer.tar': 'layer bytes',
    });
    const files = await read(retagArchive(input, new Map([['ns/lessons/web:1', 'web:1']])));
    expect(JSON.parse(files['manifest.json'])[0].RepoTags).toEqual(['web:1', 'other:x']);
    expect(JSON.parse(files.repositories)).toEqual({ web: { '1': 'abc' } });
    expect(files['l/layer.tar']).toBe('layer bytes');
  });
});
