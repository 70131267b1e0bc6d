#!/bin/bash
# Entrypoint of the coturn stand-in (coturn-4.6.Dockerfile): options mean turnserver with them.
set -euo pipefail

if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
	# Logging to stdout first, so that `docker logs` shows it; a --log-file given later wins.
	set -- turnserver --log-file=stdout "$@"
fi

exec "$@"
