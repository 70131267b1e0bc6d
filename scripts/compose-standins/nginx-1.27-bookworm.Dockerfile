# Stand-in for the registry's nginx:1.27-bookworm, built only where the container registry cannot
# be reached: Debian 12's nginx, run in the foreground with its logs on the container's output.
# Differs: nginx 1.22 (Debian 12's), not 1.27, with Debian's module set; Debian's default
# /etc/nginx (sites-enabled, user www-data) instead of the registry image's conf.d layout; a
# configuration without a `user` directive runs its workers as nobody (the registry image's
# default user is nginx).
FROM bilik-standin/debian:bookworm
RUN apt-get update \
	&& apt-get install -y --no-install-recommends nginx \
	&& rm -rf /var/lib/apt/lists/* \
	&& ln -sf /dev/stdout /var/log/nginx/access.log \
	&& ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 80
# The registry image's: a graceful shutdown, letting requests in flight finish.
STOPSIGNAL SIGQUIT
LABEL org.bilik.standin=true
CMD ["nginx", "-g", "daemon off;"]
