#!/bin/sh
# Runs Chromium so that it dies with the process that launched it (the test run), even when that
# process is killed outright and cannot close it: setpriv (util-linux) asks the kernel to send
# Chromium SIGKILL when its parent dies, and the setting survives the exec into Chromium.
exec setpriv --pdeathsig KILL -- "${CHROMIUM_PATH:-/usr/bin/chromium}" "$@"
