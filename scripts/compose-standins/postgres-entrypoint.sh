#!/bin/bash
# Entrypoint of the postgres stand-in (postgres-16-bookworm.Dockerfile): on the first start, an
# initdb into $PGDATA with POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB, as the registry
# image's entrypoint does; then the server, as the postgres user.
set -euo pipefail

# `docker run IMAGE -c fsync=off` means postgres with those options.
if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

if [ "$1" != 'postgres' ]; then
	exec "$@"
fi

if [ "$(id -u)" = '0' ]; then
	# A fresh volume, or one made by another image, may belong to someone else.
	mkdir -p "$PGDATA" /var/run/postgresql
	chown -R postgres:postgres "$PGDATA"
	chown postgres:postgres /var/run/postgresql
	chmod 0700 "$PGDATA"
	export HOME=/var/lib/postgresql
	exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	: "${POSTGRES_PASSWORD:?the postgres stand-in needs POSTGRES_PASSWORD}"
	user="${POSTGRES_USER:-postgres}"
	database="${POSTGRES_DB:-$user}"

	password_file="$(mktemp)"
	printf '%s\n' "$POSTGRES_PASSWORD" > "$password_file"
	initdb --username="$user" --pwfile="$password_file" --auth-local=trust --auth-host=scram-sha-256 \
		--encoding=UTF8 --locale=C.UTF-8 -D "$PGDATA"
	rm -f "$password_file"
	echo "listen_addresses = '*'" >> "$PGDATA/postgresql.conf"
	echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"

	if [ "$database" != 'postgres' ]; then
		# A private socket directory and no TCP: a health check's pg_isready must not report this
		# temporary server as ready, nor may any client reach it.
		init_socket_dir="$(mktemp -d)"
		pg_ctl -D "$PGDATA" -w -o "-c listen_addresses='' -c unix_socket_directories=$init_socket_dir" start
		psql -v ON_ERROR_STOP=1 --host="$init_socket_dir" --username="$user" --dbname=postgres \
			--set database="$database" <<< 'CREATE DATABASE :"database";'
		pg_ctl -D "$PGDATA" -w -m fast stop
		rmdir "$init_socket_dir"
	fi
	echo 'postgres stand-in: initialised, starting the server'
fi

exec "$@"
