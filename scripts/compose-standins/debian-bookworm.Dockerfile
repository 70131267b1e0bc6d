# Stand-in base: a Debian 12 minbase root file system that composeStack.ts debootstraps from
# deb.debian.org, built only where the container registry cannot be reached (no debian:bookworm
# to start from). Tagged bilik-standin/debian:bookworm, a name no registry image has; the other
# stand-ins start from it.
# Differs from the registry's debian:bookworm: minbase variant (no e.g. ca-certificates), made
# from today's mirror instead of a dated snapshot, and it trusts the CA certificates the host
# added under /usr/local/share/ca-certificates (an egress proxy's, where there is one) once a
# stand-in installs ca-certificates.
FROM scratch
ADD rootfs.tar /
COPY extra-ca/ /usr/local/share/ca-certificates/
# The registry image's apt sources (with updates and security) and its docker-specific apt
# settings: no package cache or translations kept in the layers. policy-rc.d keeps package
# scripts from starting daemons (redis, nginx, ...) inside the build container.
RUN rm -f /etc/apt/sources.list \
	&& printf '%s\n' \
		'Types: deb' \
		'URIs: http://deb.debian.org/debian' \
		'Suites: bookworm bookworm-updates' \
		'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
		'' \
		'Types: deb' \
		'URIs: http://deb.debian.org/debian-security' \
		'Suites: bookworm-security' \
		'Components: main' \
		'Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg' \
		> /etc/apt/sources.list.d/debian.sources \
	&& printf '%s\n' \
		'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };' \
		'APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };' \
		'Dir::Cache::pkgcache ""; Dir::Cache::srcpkgcache "";' \
		> /etc/apt/apt.conf.d/docker-clean \
	&& echo 'Acquire::Languages "none";' > /etc/apt/apt.conf.d/docker-no-languages \
	&& printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d \
	&& chmod 0755 /usr/sbin/policy-rc.d \
	&& rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
	&& rm -f /usr/local/share/ca-certificates/.keep
LABEL org.bilik.standin=true
CMD ["bash"]
