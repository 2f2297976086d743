import { describe, expect, it } from 'vitest';
import { nodeSeccompProfile } from '../../../server/engine/node-confinement.js';

interface Rule {
  names: string[];
  action: string;
  errnoRet?: number;
  args?: unknown[];
}
const rules = (): Rule[] => JSON.parse(nodeSeccompProfile()).syscalls;
const ruleFor = (name: string) => rules().find((rule) => rule.names.includes(name));

describe('the node seccomp profile', () => {
  it('answers fallocate "not supported" (EOPNOTSUPP), so a raft log on tmpfs is sparse instead of 125 MiB of memory', () => {
    // etcd's WAL falls back to ftruncate on exactly ENOTSUP/EINTR; EPERM would make `docker swarm init` fail.
    expect(ruleFor('fallocate')).toEqual({ names: ['fallocate'], action: 'SCMP_ACT_ERRNO', errnoRet: 95 });
  });

  it('still refuses what only reaches the host kernel', () => {
    for (const name of ['init_module', 'kexec_load', 'settimeofday', 'open_by_handle_at', 'perf_event_open', 'swapon', 'syslog']) {
      expect(ruleFor(name), name).toMatchObject({ action: 'SCMP_ACT_ERRNO', errnoRet: 1 });
    }
    expect(ruleFor('unshare')?.args).toHaveLength(1);
    expect(ruleFor('clone3')).toMatchObject({ errnoRet: 38 });
    expect(JSON.parse(nodeSeccompProfile()).defaultAction).toBe('SCMP_ACT_ALLOW');
  });
});
