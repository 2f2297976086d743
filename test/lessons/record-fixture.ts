/**
 * Records the cluster state of local node containers as a fixture:
 *   npx tsx test/lessons/record-fixture.ts <prefix> <nodes,comma,separated> <out.json> [probes.json]
 * The output is exactly what the collector gathers, so fixtures are real Docker API answers.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ProbeSpecification } from '../../server/checks/assertion-schema.js';
import { collectRawSnapshot } from '../../server/checks/collect-snapshot.js';
import { localExec } from './local-exec.js';

const [prefix, nodes, out, probesFile] = process.argv.slice(2);
const probes = probesFile ? (JSON.parse(readFileSync(probesFile, 'utf8')) as ProbeSpecification[]) : [];
const raw = await collectRawSnapshot(localExec(prefix), nodes.split(','), probes);
writeFileSync(out, `${JSON.stringify(raw, null, 1)}\n`);
console.log(`recorded ${Object.keys(raw.nodes).length} nodes to ${out}`);
