#!/bin/bash
# Waits until the node's entrypoint says its daemon answers and the lesson images are loaded (for scripts and
# the image build; the server reads the entrypoint's `node-ready` line from the container log instead).
# Argument: how many 50 ms turns to wait (600 by default: 30 s).
exec {nap}<> <(:)
for _ in $(seq 1 "${1:-600}"); do
  [ -f /run/node-ready ] && exit 0
  read -r -t 0.05 -u "$nap"
done
echo "node did not become ready; last daemon log lines:" >&2
tail -n 20 /var/log/dockerd.log >&2
exit 1
