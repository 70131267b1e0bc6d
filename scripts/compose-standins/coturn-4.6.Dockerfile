# Stand-in for the registry's coturn/coturn:4.6, built only where the container registry cannot be
# reached: Debian 12's coturn, with turnserver as the entrypoint taking the command's arguments.
# Differs: coturn 4.6.1 (Debian 12's) rather than the latest 4.6.x; no detect-external-ip helper
# (the compose file passes --external-ip); no configuration file read, only the command line
# (Debian's /etc/turnserver.conf is not readable by nobody; the registry image reads its
# /etc/coturn/turnserver.conf, which turns on e.g. verbose logging); its SQLite user database
# (unused with --use-auth-secret) is /var/lib/turn/turndb, not /var/lib/coturn/turndb. As in the
# registry image: runs as nobody, with the capability to bind ports below 1024 (the TLS listener
# on 443), logging to stdout.
FROM bilik-standin/debian:bookworm
RUN apt-get update \
	&& apt-get install -y --no-install-recommends coturn libcap2-bin \
	&& setcap CAP_NET_BIND_SERVICE=+ep /usr/bin/turnserver \
	&& apt-get purge -y --auto-remove libcap2-bin \
	&& rm -rf /var/lib/apt/lists/* \
	&& chown -R nobody:nogroup /var/lib/turn
COPY coturn-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
USER nobody:nogroup
EXPOSE 3478 3478/udp 5349 5349/udp
LABEL org.bilik.standin=true
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["--log-file=stdout"]
