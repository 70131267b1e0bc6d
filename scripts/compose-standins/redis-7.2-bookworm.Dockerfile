# Stand-in for the registry's redis:7.2-bookworm, built only where the container registry cannot
# be reached: Debian 12's redis-server and redis-cli.
# Differs: Redis 7.0 (Debian 12's), not 7.2; the entrypoint, like the registry image's, runs
# redis-server as the redis user in /data and turns protected mode off (the registry image
# compiles it off), so that other containers may connect without a password.
FROM bilik-standin/debian:bookworm
RUN apt-get update \
	&& apt-get install -y --no-install-recommends redis-server redis-tools \
	&& rm -rf /var/lib/apt/lists/* \
	&& mkdir /data \
	&& chown redis:redis /data
COPY redis-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
EXPOSE 6379
LABEL org.bilik.standin=true
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
