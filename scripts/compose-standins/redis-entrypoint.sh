#!/bin/bash
# Entrypoint of the redis stand-in (redis-7.2-bookworm.Dockerfile), after the registry image's.
set -euo pipefail

# `docker run IMAGE --appendonly yes` means redis-server with those options.
if [ "${1:0:1}" = '-' ]; then
	set -- redis-server "$@"
fi

if [ "$1" = 'redis-server' ]; then
	# Options given later on the command line win, so the caller can still turn it back on.
	shift
	set -- redis-server --protected-mode no "$@"
	if [ "$(id -u)" = '0' ]; then
		# A volume made before the image, or by another image, may belong to someone else.
		find . \! -user redis -exec chown redis:redis '{}' +
		exec setpriv --reuid=redis --regid=redis --init-groups "$@"
	fi
fi

exec "$@"
