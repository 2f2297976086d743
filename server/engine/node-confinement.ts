/**
 * What a node container may do when the engine refuses --privileged (and the server then builds the set
 * itself). A node runs its own dockerd, which needs SYS_ADMIN (mounts, namespaces, cgroups) and NET_ADMIN
 * (bridges, iptables, overlay networks); its own containers get Docker's default set, so the node keeps
 * those too. Everything else a root user could do to the host kernel is left out.
 */
export const NODE_CAPABILITIES = [
  // Docker's default set, which the node's own daemon hands to the containers it starts.
  'AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW',
  'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT',
  // What dockerd itself needs.
  'SYS_ADMIN', 'NET_ADMIN',
];

/** Left out on purpose, with what each would give a learner (docs/security.md lists them). */
export const DROPPED_CAPABILITIES = {
  SYS_MODULE: 'load kernel modules',
  SYS_RAWIO: 'raw I/O ports and memory',
  SYS_BOOT: 'reboot the host or load a new kernel',
  SYS_TIME: "set the host's clock",
  WAKE_ALARM: 'set wake alarms',
  SYS_PTRACE: 'trace processes',
  SYS_NICE: 'raise priorities over other learners',
  SYS_RESOURCE: 'lift resource limits',
  SYS_PACCT: 'process accounting',
  SYSLOG: "read and clear the host's kernel log",
  SYS_TTY_CONFIG: 'configure consoles',
  MAC_ADMIN: 'change security modules', MAC_OVERRIDE: 'bypass security modules',
  AUDIT_CONTROL: 'change the audit system', AUDIT_READ: 'read the audit log',
  LINUX_IMMUTABLE: 'change immutable files', DAC_READ_SEARCH: 'open files by handle (the "shocker" escape)',
  IPC_LOCK: 'lock memory', IPC_OWNER: "reach other users' IPC", LEASE: 'file leases', BLOCK_SUSPEND: 'block suspend',
  NET_BROADCAST: 'broadcast', BPF: 'BPF beyond what SYS_ADMIN allows', PERFMON: 'performance monitoring',
} as const;

const ERRNO_EPERM = 1;
const ERRNO_ENOSYS = 38;
const ERRNO_EOPNOTSUPP = 95;
const CLONE_NEWUSER = 0x10000000;

/**
 * A seccomp profile that allows what dockerd and runc need (they mount, make namespaces, join keyrings) and
 * refuses system calls that only reach the host kernel: modules, kexec, clocks, swap, raw ports, kernel
 * profiling, user namespaces (the commonest door to kernel bugs). Capabilities refuse most of these already;
 * the profile holds even where a capability check is missing.
 */
export function nodeSeccompProfile(): string {
  const deny = (names: string[], errnoRet = ERRNO_EPERM) => ({ names, action: 'SCMP_ACT_ERRNO', errnoRet });
  const denyNewUserNamespace = (name: string) => ({
    names: [name],
    action: 'SCMP_ACT_ERRNO',
    errnoRet: ERRNO_EPERM,
    args: [{ index: 0, value: CLONE_NEWUSER, valueTwo: CLONE_NEWUSER, op: 'SCMP_CMP_MASKED_EQ' }],
  });
  return JSON.stringify({
    defaultAction: 'SCMP_ACT_ALLOW',
    architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
    syscalls: [
      deny(['init_module', 'finit_module', 'delete_module', 'kexec_load', 'kexec_file_load', 'reboot']),
      deny(['settimeofday', 'clock_settime', 'clock_adjtime', 'adjtimex', 'stime']),
      deny(['iopl', 'ioperm', 'swapon', 'swapoff', 'acct', 'syslog', 'lookup_dcookie', 'open_by_handle_at']),
      deny(['perf_event_open', 'userfaultfd']),
      denyNewUserNamespace('unshare'),
      denyNewUserNamespace('clone'),
      // clone3 takes its flags in a struct seccomp cannot read; answering ENOSYS makes libc fall back to clone.
      deny(['clone3'], ERRNO_ENOSYS),
      // A swarm manager's raft log (etcd's WAL) preallocates two 64 MB segments with fallocate. On the node's
      // memory-backed /var/lib/docker that is 125 MiB of memory per manager before it stores anything; told the
      // file system cannot preallocate, etcd makes them sparse (ftruncate) and pays only for what it writes.
      deny(['fallocate'], ERRNO_EOPNOTSUPP),
    ],
  });
}

export interface NodeLogLimits {
  maxSizeMb: number;
  maxFiles: number;
}

/** A node's own log (its entrypoint's lines) is small; without a cap one node could still fill the host's disk. */
export const DEFAULT_NODE_LOG: NodeLogLimits = { maxSizeMb: 10, maxFiles: 3 };
