#!/bin/bash
# Waits until the node's entrypoint says its daemon is up and the lesson images are loaded.
for _ in $(seq 1 ${1:-600}); do
  [ -f /run/node-ready ] && docker version >/dev/null 2>&1 && exit 0
  sleep 0.05
done
echo "node did not become ready; last daemon log lines:" >&2
tail -n 20 /var/log/dockerd.log >&2
exit 1
