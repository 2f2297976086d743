/**
 * A request path reduced to a small fixed set of classes, so metric labels never carry ids or learners' paths
 * (every distinct label value is a time series kept forever).
 */
const API_CLASSES = new Set(['sessions', 'lessons', 'lesson-changes', 'instructor', 'join', 'learners', 'health']);
const SESSION_PARTS = new Set(['checks', 'progress', 'run', 'cluster', 'stream', 'nodes', 'extend', 'node-status']);

export function routeClass(url: string): string {
  const path = url.split('?')[0];
  if (/^\/api\/sessions\/[^/]+\/nodes\/[^/]+\/ports\//.test(path)) return 'port-proxy';
  if (/^\/api\/(sessions|instructor\/learners)\/[^/]+\/nodes\/[^/]+\/terminal$/.test(path)) return 'terminal';
  const api = /^\/api\/([^/]+)(?:\/[^/]+\/([^/]+))?/.exec(path);
  if (api) {
    const [, first, part] = api;
    if (first === 'sessions' && part && SESSION_PARTS.has(part)) return `sessions/${part}`;
    return API_CLASSES.has(first) ? first : 'api-other';
  }
  if (path === '/api') return 'api-other';
  if (path === '/metrics') return 'metrics';
  return 'static';
}
