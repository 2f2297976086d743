#!/usr/bin/env bash
# Makes this machine ready to run the workshop: a Docker engine that answers, debootstrap for the
# node image, and the npm dependencies. Installs Debian's packages where they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1;34m[prepare]\033[0m %s\n' "$*"; }
# Runs a slow step and says how long it took.
timed() { local started=$SECONDS; "$@"; say "  done in $((SECONDS - started)) s"; }
quiet() { "$@" >/dev/null; }
fail() { printf '\033[1;31m[prepare] error:\033[0m %s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else fail "need root to run: $*"; fi; }

apt_updated=
apt_install() {
  command -v apt-get >/dev/null || fail "$1 is missing and this is not a Debian-like system: install $* yourself"
  if [ -z "$apt_updated" ]; then say "apt-get update"; as_root apt-get update -qq; apt_updated=1; fi
  say "installing Debian packages: $*"
  timed quiet as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}

engine_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if [ -n "${DOCKER_HOST:-}" ]; then
  engine_answers || fail "DOCKER_HOST=$DOCKER_HOST is set but no engine answers there"
  say "using the Docker engine at $DOCKER_HOST"
elif engine_answers; then
  say "Docker engine $(docker version --format '{{.Server.Version}}') answers"
else
  command -v dockerd >/dev/null || apt_install docker.io iptables ca-certificates
  command -v docker >/dev/null || fail "the docker client is missing after installing docker.io"
  say "starting dockerd (log: /var/log/workshop-dockerd.log)"
  if command -v systemctl >/dev/null && systemctl is-system-running >/dev/null 2>&1; then
    as_root systemctl start docker
  else
    as_root sh -c 'nohup dockerd >/var/log/workshop-dockerd.log 2>&1 &'
  fi
  for _ in $(seq 1 60); do engine_answers && break; sleep 0.5; done
  # dockerd 20.10 can panic at start in libnetwork's reservePools when its network store kept a half-removed
  # network (an engine stopped while removing one). The store only holds local networks, which the workshop
  # recreates per session: set it aside once and start again.
  store=/var/lib/docker/network/files/local-kv.db
  if ! engine_answers && grep -q 'reservePools' /var/log/workshop-dockerd.log 2>/dev/null && [ -f "$store" ]; then
    say "dockerd's network store is damaged: moving it to $store.damaged and starting again"
    as_root mv -f "$store" "$store.damaged"
    as_root sh -c 'nohup dockerd >/var/log/workshop-dockerd.log 2>&1 &'
    for _ in $(seq 1 60); do engine_answers && break; sleep 0.5; done
  fi
  engine_answers || fail "dockerd did not come up; see /var/log/workshop-dockerd.log"
  say "Docker engine $(docker version --format '{{.Server.Version}}') answers"
fi

# Docker masquerades each bridge network's subnet as `-s <subnet> ! -o <bridge> -j MASQUERADE`. A rule left by a
# network that is gone (an engine stopped mid-removal) still matches a newer network on the same subnet, and there it
# rewrites traffic between two nodes of one network to come from the gateway: a swarm then records its workers at
# the gateway's address. A rule whose bridge holds no route for its subnet is such a leftover.
sweep_stale_masquerade() {
  command -v iptables >/dev/null || return 0
  local line cidr bridge
  as_root iptables -t nat -S POSTROUTING 2>/dev/null | while read -r line; do
    [[ $line =~ ^-A\ POSTROUTING\ -s\ ([0-9./]+)\ !\ -o\ ([^\ ]+)\ -j\ MASQUERADE$ ]] || continue
    cidr=${BASH_REMATCH[1]} bridge=${BASH_REMATCH[2]}
    ip -4 route show dev "$bridge" 2>/dev/null | grep -q "^$cidr " && continue
    say "removing a stale NAT rule of a removed Docker network: $line"
    # shellcheck disable=SC2086 # the rule's own words, as iptables printed them
    as_root iptables -t nat -D ${line#-A }
  done
}
[ -n "${DOCKER_HOST:-}" ] || sweep_stale_masquerade

command -v debootstrap >/dev/null || apt_install debootstrap

# The browser tests drive Debian's Chromium (a downloaded browser build cannot work offline).
if [ "${1:-}" = "--with-browser" ] && ! command -v chromium >/dev/null; then
  apt_install chromium
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm dependencies (native modules build from source, about a minute)"
  timed npm ci --no-audit --no-fund --loglevel=error
fi
