import { execFileSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { LABEL } from '../../server/engine/labels.js';
import { NODE_CAPABILITIES, nodeSeccompProfile } from '../../server/engine/node-confinement.js';

/**
 * Docker hosts simulated on this machine: each a Docker-in-Docker container of the node image, confined as a
 * node is (no --privileged: the node capability set, its seccomp profile, cgroup hierarchies remounted by the
 * node entrypoint), whose own dockerd answers only over TCP with TLS and client certificates made here with
 * openssl. The server under test reaches them as it would reach a remote host.
 */
export interface SimulatedEngine {
  name: string;
  containerId: string;
  address: string;
  tls: { ca: string; cert: string; key: string };
  docker: Docker;
}

const NODE_IMAGE = 'swarm-workshop/node:latest';
const local = new Docker();

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA and a client certificate (shared by every host) in a fresh folder. */
function makeCa(dir: string): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=workshop-test-ca', '-keyout', 'ca-key.pem', '-out', 'ca.pem');
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=workshop-server', '-keyout', 'key.pem', '-out', 'client.csr');
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage = clientAuth\n');
  openssl(dir, 'x509', '-req', '-in', 'client.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-extfile', 'client.ext', '-out', 'cert.pem');
}

/** A host's server certificate for its address, signed by the CA, where the host waits for it. */
function makeServerCert(caDir: string, hostDir: string, ip: string): void {
  openssl(caDir, 'req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${ip}`, '-keyout', join(hostDir, 'server-key.pem'), '-out', join(hostDir, 'server.csr'));
  writeFileSync(join(hostDir, 'server.ext'), `subjectAltName = IP:${ip}\nextendedKeyUsage = serverAuth\n`);
  openssl(caDir, 'x509', '-req', '-in', join(hostDir, 'server.csr'), '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-days', '1', '-extfile', join(hostDir, 'server.ext'), '-out', join(hostDir, 'server-cert.tmp'));
  execFileSync('cp', [join(caDir, 'ca.pem'), join(hostDir, 'ca.pem')]);
  // Renamed last: the host starts its daemon once this file exists.
  execFileSync('mv', [join(hostDir, 'server-cert.tmp'), join(hostDir, 'server-cert.pem')]);
}

/** The node entrypoint, with its daemon answering on 2376 with TLS and client verification instead of plain 2375. */
const HOST_SCRIPT = [
  'while [ ! -f /certs/server-cert.pem ]; do sleep 0.1; done',
  "sed 's#--host=tcp://0.0.0.0:2375 --tls=false#--host=tcp://0.0.0.0:2376 --tlsverify --tlscacert=/certs/ca.pem --tlscert=/certs/server-cert.pem --tlskey=/certs/server-key.pem#' /usr/local/bin/node-entrypoint > /tmp/host-entrypoint",
  'exec bash /tmp/host-entrypoint',
].join('\n');

/** Starts `names.length` hosts, each with the node image loaded over its TLS API; resolves when all take commands. */
export async function startSimulatedEngines(label: string, names: string[]): Promise<{ engines: SimulatedEngine[]; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), `${label}-certs-`));
  makeCa(dir);
  const labels = { [LABEL.instance]: label, [LABEL.kind]: 'probe' };
  const engines: SimulatedEngine[] = [];
  const stop = async () => {
    const left = await local.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${label}`] } });
    await Promise.all(left.map((c) => local.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  };
  await stop();
  const image = join(dir, 'node-image.tar');
  try {
    for (const name of names) {
      const hostDir = join(dir, name);
      mkdirSync(hostDir);
      const container = await local.createContainer({
        name: `${label}-${name}`,
        Image: NODE_IMAGE,
        Entrypoint: ['bash', '-c', HOST_SCRIPT],
        Labels: labels,
        HostConfig: {
          CapDrop: ['ALL'],
          CapAdd: NODE_CAPABILITIES,
          SecurityOpt: [`seccomp=${nodeSeccompProfile()}`, 'apparmor=unconfined'],
          CgroupnsMode: 'private',
          Binds: [`${hostDir}:/certs:ro`],
          // The host's image store on a volume (overlay2 on the machine's disk, not in memory); removed with it.
          Mounts: [{ Type: 'volume', Source: '', Target: '/var/lib/docker' }],
          Tmpfs: { '/run': 'rw,exec', '/tmp': 'rw,exec' },
        } as Docker.HostConfig & { CgroupnsMode: 'private' },
      });
      await container.start();
      const ip = (await container.inspect()).NetworkSettings.Networks.bridge.IPAddress;
      makeServerCert(dir, hostDir, ip);
      const tls = { ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
      const docker = new Docker({ protocol: 'https', host: ip, port: 2376, ca: readFile(tls.ca), cert: readFile(tls.cert), key: readFile(tls.key) });
      engines.push({ name, containerId: container.id, address: `tcp://${ip}:2376`, tls, docker });
    }
    await Promise.all(engines.map((engine) => until(() => engine.docker.ping().then(() => true, () => false), 60_000, `${engine.name} answers over TLS`)));
    if (!existsSync(image)) {
      const saved = await local.getImage(NODE_IMAGE).get();
      await new Promise<void>((resolve, reject) => saved.pipe(createWriteStream(image)).on('finish', resolve).on('error', reject));
    }
    await Promise.all(engines.map(async (engine) => {
      const stream = await engine.docker.loadImage(image);
      await new Promise((resolve, reject) => engine.docker.modem.followProgress(stream, (error: Error | null) => (error ? reject(error) : resolve(undefined))));
    }));
  } catch (error) {
    await stop();
    throw error;
  }
  return { engines, stop };
}

function readFile(path: string): Buffer {
  return readFileSync(path);
}

/** Polls until `condition` holds, or fails saying what was awaited. */
export async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
