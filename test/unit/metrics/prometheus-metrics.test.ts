import { describe, expect, it } from 'vitest';
import type { Census } from '../../../server/metrics/metrics.js';
import { PrometheusMetrics } from '../../../server/metrics/prometheus-metrics.js';

/** The value of one sample in Prometheus's text format, e.g. `workshop_sessions{engine="local",state="active"}`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('PrometheusMetrics', () => {
  it('reads sessions and nodes by state from the census at every scrape, labelled with the engine', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    const census: Census = { sessions: { active: 2, warm: 1, starting: 0 }, nodes: { active: 6, warm: 3, starting: 0 } };
    metrics.observeCensus(() => census);
    let text = (await metrics.scrape()).body;
    expect(sample(text, 'workshop_sessions{engine="local",state="active"}')).toBe(2);
    expect(sample(text, 'workshop_sessions{engine="local",state="warm"}')).toBe(1);
    expect(sample(text, 'workshop_nodes{engine="local",state="active"}')).toBe(6);
    census.sessions.active = 0;
    census.sessions.starting = 1;
    census.nodes.starting = 3;
    text = (await metrics.scrape()).body;
    expect(sample(text, 'workshop_sessions{engine="local",state="active"}')).toBe(0);
    expect(sample(text, 'workshop_sessions{engine="local",state="starting"}')).toBe(1);
    expect(sample(text, 'workshop_nodes{engine="local",state="starting"}')).toBe(3);
  });

  it('puts session starts and check runs into histograms by outcome', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false, engine: 'e1' });
    metrics.sessionStarted(12, 'ready', 'cold');
    metrics.sessionStarted(0.3, 'ready', 'pool');
    metrics.sessionStarted(40, 'failed', 'cold');
    metrics.checksRan(0.2, true);
    metrics.checksRan(3, false);
    metrics.checksRan(4, false);
    const text = (await metrics.scrape()).body;
    expect(sample(text, 'workshop_session_start_seconds_count{engine="e1",outcome="ready",source="cold"}')).toBe(1);
    expect(sample(text, 'workshop_session_start_seconds_bucket{le="20",engine="e1",outcome="ready",source="cold"}')).toBe(1);
    expect(sample(text, 'workshop_session_start_seconds_bucket{le="10",engine="e1",outcome="ready",source="cold"}')).toBe(0);
    expect(sample(text, 'workshop_session_start_seconds_sum{engine="e1",outcome="ready",source="pool"}')).toBeCloseTo(0.3);
    expect(sample(text, 'workshop_session_start_seconds_count{engine="e1",outcome="failed",source="cold"}')).toBe(1);
    expect(sample(text, 'workshop_check_run_seconds_count{outcome="passed"}')).toBe(1);
    expect(sample(text, 'workshop_check_run_seconds_count{outcome="failed"}')).toBe(2);
    expect(sample(text, 'workshop_check_run_seconds_sum{outcome="failed"}')).toBe(7);
  });

  it('counts HTTP errors only, and websocket errors and engine failures by their labels', async () => {
    const metrics = new PrometheusMetrics({ processMetrics: false });
    metrics.httpResponse('sessions', 200);
    metrics.httpResponse('sessions', 304);
    metrics.httpResponse('sessions', 404);
    metrics.httpResponse('sessions', 404);
    metrics.httpResponse('lessons', 500);
    metrics.websocketError('terminal', '403');
    metrics.engineCallFailed('createNode');
    metrics.engineCallFailed('createNode');
    const text = (await metrics.scrape()).body;
    expect(sample(text, 'workshop_http_errors_total{route="sessions",status="404"}')).toBe(2);
    expect(sample(text, 'workshop_http_errors_total{route="lessons",status="500"}')).toBe(1);
    expect(text).not.toContain('status="200"');
    expect(text).not.toContain('status="304"');
    expect(sample(text, 'workshop_websocket_errors_total{route="terminal",reason="403"}')).toBe(1);
    expect(sample(text, 'workshop_engine_call_failures_total{engine="local",operation="createNode"}')).toBe(2);
  });

  it('reads open terminals from their source, and keeps each instance to its own registry', async () => {
    const a = new PrometheusMetrics({ processMetrics: false });
    const b = new PrometheusMetrics({ processMetrics: false });
    let open = 4;
    a.observeTerminals(() => open);
    a.httpResponse('health', 503);
    expect(sample((await a.scrape()).body, 'workshop_terminals_open')).toBe(4);
    open = 1;
    expect(sample((await a.scrape()).body, 'workshop_terminals_open')).toBe(1);
    const other = (await b.scrape()).body;
    expect(sample(other, 'workshop_terminals_open')).toBe(0);
    expect(other).not.toContain('route="health"');
  });

  it("adds the process's own metrics unless told not to, and says what format it speaks", async () => {
    const withProcess = await new PrometheusMetrics().scrape();
    expect(withProcess.body).toContain('process_cpu_user_seconds_total');
    expect(withProcess.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect((await new PrometheusMetrics({ processMetrics: false }).scrape()).body).not.toContain('process_cpu_user_seconds_total');
  });
});
