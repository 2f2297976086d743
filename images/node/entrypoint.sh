#!/bin/bash
# Starts the node's own Docker daemon. Runs as PID 1 of a node container.
set -u
# Our own messages go to the container log (docker logs); the daemons write to /var/log/dockerd.log.
# The server reads that log too: the line `node-ready` says the daemon answers (server/nodes/docker-node-backend.ts).

# Go (1.19 in these daemons) gives itself one scheduler slot per host CPU, not per CPU of the node's quota
# (limits.nodeCpus, 1 by default). With more slots than the quota, each wake-up of an idle daemon (a timer of
# the swarm's gossip, a heartbeat) also wakes another thread to look for work: with one slot per CPU of quota an
# idle swarm node costs 10-20 % less CPU and 1 MiB less (docs/benchmarks.md, "where an idle swarm node's CPU goes").
# The quota is read here, before the cgroup remount below makes /sys/fs/cgroup show the hierarchy's root.
cpu_quota_slots() {
  local quota period
  if [ -f /sys/fs/cgroup/cpu.max ]; then
    read -r quota period < /sys/fs/cgroup/cpu.max || return 1
  else
    read -r quota < /sys/fs/cgroup/cpu/cpu.cfs_quota_us && read -r period < /sys/fs/cgroup/cpu/cpu.cfs_period_us || return 1
  fi
  [[ $quota =~ ^[0-9]+$ && $period =~ ^[0-9]+$ && $period -gt 0 ]] || return 1
  echo $(( (quota + period - 1) / period ))
}
slots=$(cpu_quota_slots) && export GOMAXPROCS=$slots

# cgroup v1: Docker mounts the hierarchies read-only when the container is not
# privileged; dockerd inside needs them writable to create containers.
if [ ! -f /sys/fs/cgroup/cgroup.controllers ]; then
  for dir in /sys/fs/cgroup/*/; do
    controller=$(basename "$dir")
    grep -q " /sys/fs/cgroup/$controller .*\bro\b" /proc/self/mountinfo 2>/dev/null || grep -q "/sys/fs/cgroup/$controller ro," /proc/mounts || continue
    options=$controller
    [ "$controller" = systemd ] && options=none,name=systemd
    # combined hierarchies (cpu,cpuacct) appear as one directory with a comma in its name
    umount "/sys/fs/cgroup/$controller" && mount -t cgroup -o "$options" cgroup "/sys/fs/cgroup/$controller" \
      || echo "could not remount cgroup $controller"
  done
else
  # cgroup v2: move ourselves into a child group so controllers can be delegated (as docker's own dind script does).
  mkdir -p /sys/fs/cgroup/init.scope
  xargs -rn1 < /sys/fs/cgroup/cgroup.procs > /sys/fs/cgroup/init.scope/cgroup.procs 2>/dev/null || true
  sed -e 's/ / +/g' -e 's/^/+/' < /sys/fs/cgroup/cgroup.controllers > /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null || true
fi

mkdir -p /run/docker/containerd
# The image carries a ready image store with the lesson images (made when the image was built).
if [ -d /opt/workshop/docker-seed ] && [ ! -d /var/lib/docker/image ]; then
  cp -a /opt/workshop/docker-seed/. /var/lib/docker/
fi

# A pause without a process: `sleep` would fork one on every turn of the waits below.
exec {nap}<> <(:)
nap() { read -r -t "$1" -u "$nap" || true; }
# Waits (up to 20 s) for a daemon's socket to appear; fails at once if the daemon has exited.
await_socket() {
  for _ in $(seq 1 2000); do
    [ -S "$1" ] && return 0
    kill -0 "$2" 2>/dev/null || return 1
    nap 0.01
  done
  return 1
}
fail() { echo "$1 did not start:"; tail -n 20 /var/log/dockerd.log; exit 1; }

# Go lets its heap grow to twice the live data by default; a node is idle most of its life, so a tighter target
# trades a little GC time for memory (GOGC=50 against 100 is measured in docs/benchmarks.md, 2026-12-03).
export GOGC=${NODE_GOGC:-50}

# The daemon also answers on the session's private network (port 2375, as Play with Docker does), so
# `docker -H node2:2375 ...` works between a session's nodes and a grader can read a manager's state.
# Only this session's nodes and the server's host can reach that network. --tls=false says so explicitly
# (without it, dockerd 20.10 delays its start by 15 s to show a warning).
args=(--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 --tls=false --log-level=warn
  --containerd=/run/docker/containerd/containerd.sock)
[ -n "${REGISTRY_MIRROR:-}" ] && args+=(--registry-mirror="$REGISTRY_MIRROR")

containerd --config /etc/workshop/containerd.toml >>/var/log/dockerd.log 2>&1 &
containerd=$!
await_socket /run/docker/containerd/containerd.sock $containerd || fail containerd

dockerd "${args[@]}" >>/var/log/dockerd.log 2>&1 &
daemon=$!
trap 'kill -TERM $daemon; wait $daemon; kill -TERM $containerd; wait $containerd' TERM INT
# dockerd makes its socket before it serves: one request then waits until the API answers, instead of a
# client process polling many times a second.
await_socket /var/run/docker.sock $daemon || fail dockerd
curl -fsS --max-time 60 --unix-socket /var/run/docker.sock http://node/_ping >/dev/null || fail dockerd
# The lesson images travel inside the node image, so lessons never need a registry. Only the image build
# meets this tar (seed-image-store.ts loads it once and commits the loaded store); nodes start from that store.
if [ -f /opt/workshop/lesson-images.tar ]; then
  docker load -q -i /opt/workshop/lesson-images.tar >/dev/null || echo "could not load lesson images"
fi
touch /run/node-ready
echo node-ready
wait $daemon
