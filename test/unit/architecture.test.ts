import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The server's import graph flows one way: wiring → http/ws → domain → nodes (and store) → engine, with the
 * base modules (config, errors, ids, logger) below everything. An import that climbs is allowed only as
 * `import type`. Classroom and grading never import each other, not even for a type.
 */
const SERVER = fileURLToPath(new URL('../../server/', import.meta.url));

const LAYERS: Array<[level: number, name: string, folders: string[]]> = [
  [0, 'base', ['config.ts', 'errors.ts', 'ids.ts', 'logger.ts', 'zod-message.ts', 'startup', 'metrics']],
  [1, 'engine', ['engine']],
  [2, 'nodes', ['nodes', 'store', 'images', 'fleet']],
  [3, 'domain', ['sessions', 'checks', 'lessons', 'classroom', 'grading', 'terminals', 'ports']],
  [4, 'http/ws', ['http']],
  [5, 'wiring', ['server.ts', 'main.ts', 'cli']],
];
const SEPARATED: Array<[string, string]> = [['classroom', 'grading']];

/** A feature's `setup-*.ts` wires it to its routes and sockets, so it sits with the wiring, whatever its folder. */
function layerOf(file: string): { level: number; name: string; top: string } {
  const top = file.split('/')[0];
  if (/(^|\/)setup-[\w-]+\.ts$/.test(file)) return { level: 5, name: 'wiring', top };
  const layer = LAYERS.find(([, , folders]) => folders.includes(top));
  if (!layer) throw new Error(`${file} is in no layer; add its folder to LAYERS`);
  return { level: layer[0], name: layer[1], top };
}

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
}

const IMPORT = /^(?:import|export)\s+(type\s+)?(?:[\s\S]*?\s+from\s+)?'(\.[^']+)'/gm;

/** Relative imports of each file, resolved to paths under server/ (imports of shared/ and packages are left out). */
export function importsOf(files: ReadonlyMap<string, string>): Import[] {
  const imports: Import[] = [];
  for (const [file, source] of files) {
    for (const match of source.matchAll(IMPORT)) {
      const to = normalize(join(dirname(file), match[2])).replace(/\.js$/, '.ts');
      if (to.startsWith('..')) continue;
      imports.push({ from: file, to, typeOnly: match[1] !== undefined });
    }
  }
  return imports;
}

export function climbs(imports: Import[]): string[] {
  const problems: string[] = [];
  for (const { from, to, typeOnly } of imports) {
    const a = layerOf(from);
    const b = layerOf(to);
    if (SEPARATED.some(([x, y]) => (a.top === x && b.top === y) || (a.top === y && b.top === x))) {
      problems.push(`${from} imports ${to}: ${a.top} and ${b.top} must not import each other`);
    } else if (b.level > a.level && !typeOnly) {
      problems.push(`${from} (${a.name}) imports ${to} (${b.name}), which is above it; only \`import type\` may climb`);
    }
  }
  return problems;
}

function serverSources(): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) files.set(relative(SERVER, path), readFileSync(path, 'utf8'));
    }
  };
  walk(SERVER);
  return files;
}

describe('the server import graph', () => {
  it('reads the imports of every server file, multi-line and type-only ones included', () => {
    const imports = importsOf(serverSources());
    expect(imports.length).toBeGreaterThan(200);
    expect(imports).toContainEqual({ from: 'server.ts', to: 'sessions/session-manager.ts', typeOnly: false });
    expect(imports).toContainEqual({ from: 'checks/cluster-context.ts', to: 'checks/snapshot.ts', typeOnly: true });
  });

  it('flows one way: no import climbs a layer, and classroom and grading stay apart', () => {
    expect(climbs(importsOf(serverSources()))).toEqual([]);
  });

  it('reports the climbs it is there to catch, and lets type-only ones pass', () => {
    const files = new Map([
      ['engine/docker-engine.ts', "import { DockerNodeBackend } from '../nodes/docker-node-backend.js';"],
      ['nodes/local-node-backend.ts', "import {\n  SessionManager,\n} from '../sessions/session-manager.js';\nimport type { Session } from '../sessions/session.js';"],
      ['checks/check-runner.ts', "import { sessionToken } from '../http/credentials.js';"],
      ['classroom/classroom.ts', "import type { Grading } from '../grading/grading.js';"],
      ['grading/grading.ts', "export { Classroom } from '../classroom/classroom.js';"],
      ['ports/session-status.ts', "import type { SessionManager } from '../sessions/session-manager.js';"],
    ]);
    expect(climbs(importsOf(files))).toEqual([
      'engine/docker-engine.ts (engine) imports nodes/docker-node-backend.ts (nodes), which is above it; only `import type` may climb',
      'nodes/local-node-backend.ts (nodes) imports sessions/session-manager.ts (domain), which is above it; only `import type` may climb',
      'checks/check-runner.ts (domain) imports http/credentials.ts (http/ws), which is above it; only `import type` may climb',
      'classroom/classroom.ts imports grading/grading.ts: classroom and grading must not import each other',
      'grading/grading.ts imports classroom/classroom.ts: grading and classroom must not import each other',
    ]);
  });
});
