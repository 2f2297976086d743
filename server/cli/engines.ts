import type { EngineView } from '../../shared/classroom-protocol.js';

export interface EngineAction {
  action: 'list' | 'drain' | 'undrain';
  engine?: string;
  server: string;
  token: string;
}

/** `workshop engines`: a running server's engines through its instructor API (GET, or POST …/drain|undrain). */
export async function enginesCommand({ action, engine, server, token }: EngineAction): Promise<number> {
  const path = action === 'list' ? '' : `/${encodeURIComponent(engine!)}/${action}`;
  const res = await fetch(`${server.replace(/\/$/, '')}/api/instructor/engines${path}`, { method: action === 'list' ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}` } });
  const body = (await res.json().catch(() => ({}))) as { engines?: EngineView[]; message?: string };
  if (!res.ok || !body.engines) {
    console.error(`${res.status}: ${body.message ?? 'the server refused'}`);
    return 1;
  }
  for (const e of body.engines) {
    console.log(`${e.name.padEnd(12)} ${e.state.padEnd(9)} ${String(e.sessions).padStart(4)} sessions ${String(e.nodes).padStart(4)} nodes ${String(e.freeNodes).padStart(4)} free${e.reason ? `  (${e.reason})` : ''}`);
  }
  return 0;
}
