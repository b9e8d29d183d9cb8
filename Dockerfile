# One image for every t2s process (gateway, workers, CLI jobs); the command picks the process.
# Runs TypeScript through tsx (a devDependency, so the install keeps dev dependencies), exactly as
# `npm run t2s` and `t2s up` do on a developer machine.
FROM node:24-bookworm-slim

WORKDIR /app
ENV NO_COLOR=1

COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY tsconfig.json tsconfig.base.json nx.json ./
COPY apps ./apps
COPY libs ./libs
COPY config ./config
COPY eval ./eval
COPY prompts ./prompts

# Unprivileged at run time; the embedded PostgreSQL is never used in a container (URLs are set).
USER node
EXPOSE 3000
CMD ["node", "--import", "tsx", "apps/gateway/src/main.ts"]
