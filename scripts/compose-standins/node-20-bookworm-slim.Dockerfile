# Stand-in for the registry's node:20-bookworm-slim, built only where the container registry
# cannot be reached. The Node.js 20 and npm running composeStack.ts on the host are copied in
# (node/ in the build context: bin/node, lib/node_modules/{npm,corepack}, include/node) onto a
# Debian 12 minbase, with the `node` user (uid 1000) of the registry image.
# Differs: Node/npm are the host's version (checked to be 20.x), not the image's latest 20.x; no
# yarn; no docker-entrypoint.sh (CMD is `node`).
FROM bilik-standin/debian:bookworm
RUN groupadd --gid 1000 node \
	&& useradd --uid 1000 --gid node --shell /bin/bash --create-home node
COPY node/ /usr/local/
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm \
	&& ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx \
	&& if [ -e /usr/local/lib/node_modules/corepack/dist/corepack.js ]; then \
		ln -s ../lib/node_modules/corepack/dist/corepack.js /usr/local/bin/corepack; fi \
	&& node --version && npm --version
ARG NODE_VERSION
ENV NODE_VERSION=${NODE_VERSION}
LABEL org.bilik.standin=true
CMD ["node"]
