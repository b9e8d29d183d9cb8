# One image for every t2s process: the gateway (the default command), the workers (STAGES=...), the
# inference pool and CLI jobs (`npm run t2s -- ...`); the command picks the process.
#
# There is no build step: the processes run TypeScript through tsx, exactly as `npm run t2s` and
# `t2s up` do on a developer machine. tsx is a devDependency, so the runtime keeps the full install
# (dev dependencies included) rather than `npm ci --omit=dev`, which would remove the loader the
# commands need.
#
#   docker build -t t2s:local --build-arg VERSION=$(git describe --always) --build-arg REVISION=$(git rev-parse HEAD) .

# ---- deps: the lockfile's exact install, cached as long as package*.json do not change ----
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# NODE_ENV stays unset here: with NODE_ENV=production npm would omit the dev dependencies (tsx).
RUN npm ci --no-audit --no-fund && npm cache clean --force

# ---- runtime ----
FROM node:24-bookworm-slim AS runtime
ARG VERSION=dev
ARG REVISION=unknown
LABEL org.opencontainers.image.title="t2s" \
      org.opencontainers.image.description="Text-to-SQL marketing audience segments: gateway, queue workers, inference pool and CLI" \
      org.opencontainers.image.licenses="UNLICENSED" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}"

WORKDIR /app
# NODE_ENV=production does not change how tsx loads the code; it only tells libraries they run in
# production. T2S_HOME is where the CLI keeps local state (embedded PostgreSQL, generated secrets):
# /tmp is the one writable place when the root filesystem is read-only (Kubernetes mounts an emptyDir
# there, which also holds tsx's compile cache).
ENV NODE_ENV=production \
    NO_COLOR=1 \
    T2S_HOME=/tmp/t2s

COPY --from=deps /app/node_modules ./node_modules
COPY package.json package-lock.json tsconfig.json tsconfig.base.json nx.json ./
COPY apps ./apps
COPY libs ./libs
COPY config ./config
COPY eval ./eval
COPY prompts ./prompts

# The code stays root-owned and read-only to the process. The embedded PostgreSQL is never used in a
# container: every database URL is set.
USER node
EXPOSE 3000

# For the default command (the gateway): liveness only, no dependency checked, so a Redis outage does
# not mark the container unhealthy. Workers and the inference pool have no HTTP API; docker-compose.yml
# overrides this with a fetch of their METRICS_PORT, and Kubernetes ignores HEALTHCHECK (probes instead).
HEALTHCHECK --interval=15s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# --liftoff-only: see NODE_FLAGS in libs/process (the SQL parser's WebAssembly would otherwise be
# recompiled in the background and the RSS peak near 640 MB), and a young generation of 4 MB semi-spaces
# (it grows to 3 x 16 MB under load otherwise); compose and k8s commands pass both too.
CMD ["node", "--liftoff-only", "--max-semi-space-size=4", "--import", "tsx", "apps/gateway/src/main.ts"]
