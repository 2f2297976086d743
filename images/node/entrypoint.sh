#!/bin/bash
# Starts the node's own Docker daemon. Runs as PID 1 of a node container.
set -u
# Our own messages go to the container log (docker logs); the daemon writes to /var/log/dockerd.log.

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

mkdir -p /run/docker
# The image carries a ready image store with the lesson images (made when the image was built).
if [ -d /opt/workshop/docker-seed ] && [ ! -d /var/lib/docker/image ]; then
  cp -a /opt/workshop/docker-seed/. /var/lib/docker/
fi
# The daemon also answers on the session's private network (port 2375, as Play with Docker does), so
# `docker -H node2:2375 ...` works between a session's nodes and a grader can read a manager's state.
# Only this session's nodes and the server's host can reach that network. --tls=false says so explicitly
# (without it, dockerd 20.10 delays its start by 15 s to show a warning).
args=(--host=unix:///var/run/docker.sock --host=tcp://0.0.0.0:2375 --tls=false --log-level=warn)
[ -n "${REGISTRY_MIRROR:-}" ] && args+=(--registry-mirror="$REGISTRY_MIRROR")

dockerd "${args[@]}" >>/var/log/dockerd.log 2>&1 &
daemon=$!
trap 'kill -TERM $daemon; wait $daemon' TERM INT

for _ in $(seq 1 400); do
  docker version >/dev/null 2>&1 && break
  kill -0 $daemon 2>/dev/null || { echo "dockerd exited:"; tail -n 20 /var/log/dockerd.log; exit 1; }
  sleep 0.05
done
# The lesson images travel inside the node image, so lessons never need a registry.
if [ -f /opt/workshop/lesson-images.tar ]; then
  docker load -q -i /opt/workshop/lesson-images.tar >/dev/null || echo "could not load lesson images"
fi
touch /run/node-ready
wait $daemon
