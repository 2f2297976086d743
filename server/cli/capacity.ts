import type { TemplateName } from '../../shared/protocol.js';
import { loadConfigFromEnvironment, type Config } from '../config.js';
import { benchmarkFootprint, classFit, planCapacity, type EngineOffer, type LearnerFootprint } from '../fleet/capacity-plan.js';
import { EngineRegistry, withTimeout, type FleetEngine } from '../fleet/engine-registry.js';
import { LessonLibrary, lessonFolders } from '../lessons/lesson-library.js';
import { lessonById } from '../lessons/load-lessons.js';
import { createLogger } from '../logger.js';
import { planNodes } from '../nodes/templates.js';
import { SessionManager } from '../sessions/session-manager.js';

export interface CapacityOptions {
  lesson: string;
  /** The class size to check: exit 1 when it does not fit. */
  learners?: number;
  /** Start one learner's cluster of the lesson on the first engine and measure it, instead of the benchmark figures. */
  measure?: boolean;
}

const MEASURE_SECONDS = 10;

/**
 * `workshop capacity`: how many learners of a lesson fit on the configured engines (or the one local engine),
 * from each engine's own memory and cores and a learner's footprint, measured or from the benchmarks.
 */
export async function capacityCommand(options: CapacityOptions, config: Config = loadConfigFromEnvironment()): Promise<number> {
  const log = createLogger('silent');
  const library = await LessonLibrary.open(lessonFolders(config), { watch: false });
  const lesson = lessonById(library.lessons, options.lesson);
  library.close();
  const planned = planNodes({ template: lesson.meta.template, swarm: lesson.meta.swarm }, config.limits.maxNodesPerSession);
  const withEngines: Config = config.engines.length ? config : { ...config, engines: [{ name: 'local', address: 'local', limits: {} }] };
  const registry = EngineRegistry.fromConfig(withEngines, log);
  const offers: EngineOffer[] = [];
  const answering: FleetEngine[] = [];
  for (const engine of registry.list()) {
    try {
      const resources = await withTimeout(engine.engine.hostResources(), 5000, 'no answer within 5 s');
      offers.push({ name: engine.name, memoryMb: Math.floor(resources.memoryBytes / 2 ** 20), cpus: resources.cpus, limits: engine.config.limits });
      answering.push(engine);
    } catch (error) {
      console.log(`${engine.name}: does not answer (${(error as Error).message}); counted as 0`);
    }
  }
  let footprint: LearnerFootprint = benchmarkFootprint(planned.length);
  let source = 'docs/benchmarks.md (idle nodes of a class)';
  if (options.measure && answering[0]) {
    footprint = await measureLearner(answering[0], withEngines, lesson.meta.template, lesson.meta.swarm, planned.length);
    source = `one ${lesson.meta.template}${lesson.meta.swarm ? ' swarm' : ''} cluster measured on ${answering[0].name} for ${MEASURE_SECONDS} s`;
  }
  const plan = planCapacity(offers, footprint);
  console.log(`lesson ${lesson.meta.id}: ${footprint.nodes} node(s) per learner, ${footprint.memoryMb} MiB and ${footprint.cpuCores.toFixed(3)} cores per learner (${source})`);
  for (const fit of plan.engines) {
    const offer = offers.find((o) => o.name === fit.name)!;
    console.log(`  ${fit.name.padEnd(12)} ${String(offer.cpus).padStart(3)} cores ${String(offer.memoryMb).padStart(7)} MiB  ${String(fit.learners).padStart(4)} learners (bound by ${fit.boundBy})`);
  }
  console.log(`  ${'total'.padEnd(12)} ${String(plan.total).padStart(30)} learners`);
  const { fit, serverLimit } = classFit(plan.total, footprint.nodes, config.limits);
  if (serverLimit !== undefined) console.log(`  the server's own limits (limits.maxSessions ${config.limits.maxSessions}, limits.maxNodesTotal ${config.limits.maxNodesTotal}) allow ${serverLimit}: raise them to use every engine`);
  if (options.learners !== undefined && fit < options.learners) {
    console.log(`warning: ${options.learners} learners do not fit; add an engine or make the class smaller`);
    return 1;
  }
  return 0;
}

/** Starts one learner's cluster on an engine, lets it settle, and reads its nodes' memory and CPU from their cgroups. */
async function measureLearner(engine: FleetEngine, config: Config, template: TemplateName, swarm: boolean, nodes: number): Promise<LearnerFootprint> {
  const sessions = new SessionManager(engine.backend, config, createLogger('silent'));
  const created = await sessions.create({ template, swarm });
  try {
    const ids = [...sessions.find(created.id)!.nodes.values()].map((node) => node.id);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const cpuBefore = await Promise.all(ids.map((id) => engine.engine.cpuSeconds(id)));
    await new Promise((resolve) => setTimeout(resolve, MEASURE_SECONDS * 1000));
    const cpuAfter = await Promise.all(ids.map((id) => engine.engine.cpuSeconds(id)));
    const memory = await Promise.all(ids.map((id) => engine.engine.memoryUsage(id)));
    const cpuCores = cpuAfter.reduce((sum, after, index) => sum + (after - cpuBefore[index]), 0) / MEASURE_SECONDS;
    return { nodes, memoryMb: Math.ceil(memory.reduce((a, b) => a + b, 0) / 2 ** 20), cpuCores: Math.max(cpuCores, 0.001) };
  } finally {
    await sessions.end(created.id, 'capacity measured');
  }
}
