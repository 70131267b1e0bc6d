# Stand-in for the registry's node:20-bookworm, built only where the container registry cannot be
# reached. The Node.js 20 and npm running composeStack.ts on the host are copied in (node/ in the
# build context: bin/node, lib/node_modules/{npm,corepack}, include/node), onto Debian 12 with
# what the Dockerfile's build stage relies on: working apt, python3, make, g++, git,
# ca-certificates; and the `node` user (uid 1000) of the registry image.
# Differs: Node/npm are the host's version (checked to be 20.x), not the image's latest 20.x; the
# registry image's buildpack-deps base has many more -dev packages and no yarn is included here;
# no docker-entrypoint.sh (CMD is `node`); npm and node also trust the host's added CA
# certificates (NODE_EXTRA_CA_CERTS), so that npm ci works behind an intercepting egress proxy.
FROM bilik-standin/debian:bookworm
RUN apt-get update \
	&& apt-get install -y --no-install-recommends \
		ca-certificates curl wget gnupg dirmngr git openssh-client procps xz-utils \
		python3 make g++ \
	&& rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 1000 node \
	&& useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node/ /usr/local/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
	&& ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
	&& if [ -e /usr/local/lib/node_modules/corepack/dist/corepack.js ]; then \
		ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack; fi \
	&& node --version && npm --version
ARG NODE_VERSION
ENV NODE_VERSION=${NODE_VERSION} \
	NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
LABEL org.bilik.standin=true
CMD ["node"]
