# Bilik server image. The mediasoup worker is built against Debian 12 system
# libraries by scripts/build-mediasoup-worker.mjs, exactly as on a developer
# machine, because mediasoup's own install downloads from GitHub.
#
# Run (RTC_ANNOUNCED_IP: the address browsers reach this host at):
#   docker run -p 8080:8080 -p 40000-40001:40000-40001/udp -p 40000-40001:40000-40001/tcp \
#     -e RTC_ANNOUNCED_IP=192.0.2.10 -v bilik-data:/app/data bilik

FROM node:20-bookworm AS build

# Keep in sync with WORKER_BUILD_DEBIAN_PACKAGES in scripts/build-mediasoup-worker.mjs.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends \
		meson ninja-build pkg-config g++ \
		libssl-dev libuv1-dev libsrtp2-dev libabsl-dev libusrsctp-dev nlohmann-json3-dev \
	&& rm -rf /var/lib/apt/lists/*

WORKDIR /app

# Manifests first, so the dependency and worker layers are reused until they change.
COPY package.json package-lock.json ./
COPY shared/package.json shared/
COPY server/package.json server/
COPY booth-client/package.json booth-client/
COPY officer-console/package.json officer-console/
# With MEDIASOUP_WORKER_BIN set, mediasoup's postinstall skips its worker download.
RUN MEDIASOUP_WORKER_BIN=/opt/bilik/mediasoup-worker npm ci --no-audit --no-fund

# The script builds from node_modules/mediasoup/worker, smoke-checks the binary
# and prints its cached path.
COPY scripts/build-mediasoup-worker.mjs scripts/
RUN worker="$(XDG_CACHE_HOME=/tmp/bilik-cache node scripts/build-mediasoup-worker.mjs)" \
	&& install -D -m 0755 "$worker" /opt/bilik/mediasoup-worker \
	&& rm -rf /tmp/bilik-cache

COPY . .
RUN npm run build:clients


FROM node:20-bookworm-slim

# The worker's shared libraries, and redis-server for the embedded Redis the
# server starts when REDIS_URL is not set.
RUN apt-get update \
	&& apt-get install -y --no-install-recommends \
		libssl3 libuv1 libsrtp2-1 libusrsctp2 libabsl20220623 redis-server \
	&& rm -rf /var/lib/apt/lists/*

COPY --from=build /opt/bilik/mediasoup-worker /opt/bilik/mediasoup-worker
COPY --from=build /app /app
WORKDIR /app
RUN mkdir -p /app/data && chown node:node /app/data
USER node

# The server's defaults suit a developer machine (loopback only, one worker per core); a
# container listens on all interfaces and runs a fixed number of workers, so that the ports it
# publishes are known: worker i receives WebRTC media on RTC_PORT + i, UDP and TCP.
# Production seeds no demo.
ENV MEDIASOUP_WORKER_BIN=/opt/bilik/mediasoup-worker \
	HOST=0.0.0.0 \
	PORT=8080 \
	RTC_LISTEN_IP=0.0.0.0 \
	MEDIASOUP_WORKERS=2 \
	RTC_PORT=40000 \
	DATA_DIR=/app/data \
	NODE_ENV=production

EXPOSE 8080
EXPOSE 40000-40001/udp
EXPOSE 40000-40001/tcp

CMD ["node", "--import", "tsx", "server/src/index.ts"]
