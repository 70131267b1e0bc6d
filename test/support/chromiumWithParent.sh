#!/bin/sh
# Runs Chromium so that it dies with the process that launched it (the test run), even when that
# process is killed outright and cannot close it: setpriv (util-linux) asks the kernel to send
# Chromium SIGKILL when its parent dies, and the setting survives the exec into Chromium.
# With BILIK_NETNS set, Chromium runs inside that network namespace (a booth behind its own link).
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -n "${BILIK_NETNS:-}" ]; then
  exec ip netns exec "$BILIK_NETNS" setpriv --pdeathsig KILL -- "$chromium" "$@"
fi
exec setpriv --pdeathsig KILL -- "$chromium" "$@"
