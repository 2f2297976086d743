#!/usr/bin/env bash
# Baseline for bench/sessions.ts: the same three-node pre-formed swarm made by hand with the docker CLI,
# with the same node image and security settings. Prints the milliseconds from start to all nodes answering.
set -euo pipefail
image=${1:-swarm-workshop/node:latest}
net=bench-baseline-$$
caps=()
for c in AUDIT_CONTROL AUDIT_READ AUDIT_WRITE BLOCK_SUSPEND CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID IPC_LOCK IPC_OWNER KILL LEASE LINUX_IMMUTABLE MAC_ADMIN MAC_OVERRIDE MKNOD NET_ADMIN NET_BIND_SERVICE NET_BROADCAST NET_RAW SETFCAP SETGID SETPCAP SETUID SYS_ADMIN SYS_BOOT SYS_CHROOT SYS_MODULE SYS_NICE SYS_PACCT SYS_PTRACE SYS_RAWIO SYS_TIME SYS_TTY_CONFIG SYSLOG WAKE_ALARM; do caps+=(--cap-add "$c"); done
cleanup() { docker rm -f $net-1 $net-2 $net-3 >/dev/null 2>&1 || true; docker network rm $net >/dev/null 2>&1 || true; }
trap cleanup EXIT
start=$(date +%s%N)
docker network create $net >/dev/null
for i in 1 2 3; do
  docker run -d --name $net-$i --hostname node$i --network $net "${caps[@]}" --security-opt seccomp=unconfined --security-opt apparmor=unconfined \
    --security-opt systempaths=unconfined --device-cgroup-rule 'a *:* rwm' --read-only --tmpfs /var/lib/docker:exec,size=512m \
    --tmpfs /run:exec --tmpfs /tmp --tmpfs /root --tmpfs /var/log --tmpfs /etc/docker "$image" >/dev/null &
done
wait
for i in 1 2 3; do docker exec $net-$i node-wait-ready & done
wait
ip=$(docker inspect -f "{{(index .NetworkSettings.Networks \"$net\").IPAddress}}" $net-1)
docker exec $net-1 docker swarm init --advertise-addr "$ip" >/dev/null
token=$(docker exec $net-1 docker swarm join-token -q worker)
for i in 2 3; do docker exec $net-$i docker swarm join --token "$token" "$ip:2377" >/dev/null & done
wait
for i in 1 2 3; do docker exec $net-$i docker version >/dev/null & done
wait
echo $(( ($(date +%s%N) - start) / 1000000 ))
