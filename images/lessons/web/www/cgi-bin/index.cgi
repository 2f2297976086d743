#!/bin/sh
# Served for "/": the version and the replica's hostname, so load balancing and rolling updates are visible.
if [ -n "$WEB_BROKEN" ]; then
  printf 'Status: 500 Internal Server Error\r\nContent-Type: text/plain\r\n\r\nweb %s is broken on purpose\n' "$WEB_VERSION"
  exit 0
fi
printf 'Content-Type: text/plain\r\n\r\n'
printf 'web version %s served by %s\n' "$WEB_VERSION" "$(hostname)"
[ -n "$WEB_MESSAGE" ] && printf '%s\n' "$WEB_MESSAGE"
for file in /run/secrets/* /etc/web/*; do
  [ -f "$file" ] && printf 'file %s present\n' "$file"
done
exit 0
