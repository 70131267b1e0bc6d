# Stand-in for the registry's postgres:16-bookworm, built only where the container registry cannot
# be reached: Debian 12's postgresql-15 with a small entrypoint (postgres-entrypoint.sh).
# Differs: PostgreSQL 15 (Debian 12's), not 16; the entrypoint honours only POSTGRES_PASSWORD
# (required), POSTGRES_USER and POSTGRES_DB (no POSTGRES_INITDB_ARGS, POSTGRES_HOST_AUTH_METHOD,
# *_FILE secrets or /docker-entrypoint-initdb.d scripts); the cluster is initialised with the
# C.UTF-8 locale instead of en_US.utf8. Like the registry image: data in
# /var/lib/postgresql/data, listening on all addresses, password (scram-sha-256) authentication
# over TCP, trust over the local socket, pg_isready and psql on PATH.
FROM bilik-standin/debian:bookworm
# The Debian package would create and start a "main" cluster; the entrypoint makes its own.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends postgresql-common \
	&& sed -ri 's/#?\s*create_main_cluster\s*=.*/create_main_cluster = false/' /etc/postgresql-common/createcluster.conf \
	&& apt-get install -y --no-install-recommends postgresql-15 \
	&& rm -rf /var/lib/apt/lists/*
ENV PATH=/usr/lib/postgresql/15/bin:$PATH \
	PGDATA=/var/lib/postgresql/data
RUN mkdir -p "$PGDATA" /var/run/postgresql \
	&& chown postgres:postgres "$PGDATA" /var/run/postgresql \
	&& chmod 0700 "$PGDATA" \
	&& chmod 2775 /var/run/postgresql
COPY postgres-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /var/lib/postgresql/data
EXPOSE 5432
# The registry image's: a smart shutdown would wait for every client to disconnect.
STOPSIGNAL SIGINT
LABEL org.bilik.standin=true
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["postgres"]
