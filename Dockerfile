# briefwire in a container (BuildKit, the default builder since Docker 23: RUN --mount):
#   docker build -t briefwire .
#   docker run --env-file .env -v briefwire-data:/app/data briefwire
# or `docker compose up -d` (compose.yaml). Both stages start from the same image, so the
# native SQLite addon made in the first one loads in the second.
# test/docker.test.ts checks this file without a Docker engine: it replays both stages in
# temporary folders and runs the image's start command on the result.

# --- build: every dependency, the lexicon and the TypeScript compile → dist/ ---------------
FROM node:20-bookworm-slim AS build
# better-sqlite3 downloads a prebuilt addon when one fits; these compile it when none does.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the project's `prepare` (the build) needs the sources copied below, and
# the one dependency with an install script, better-sqlite3, is built by name, whatever
# npm's default policy for dependency install scripts.
RUN --mount=type=cache,target=/root/.npm npm ci --ignore-scripts --no-audit --no-fund \
 && npm rebuild better-sqlite3
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build-lexicon.mjs scripts/
COPY config config
COPY src src
RUN npm run build

# --- runtime: production dependencies, dist/, the default config and its demo feed --------
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    BRIEFWIRE_DATA_DIR=/app/data \
    HTTP_PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts skips `prepare` (the build: done above, and typescript is a dev
# dependency, not installed here) and better-sqlite3's compile: its addon comes from the
# build stage, same base image, same Node ABI and libc.
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY --from=build /app/node_modules/better-sqlite3/build/Release/better_sqlite3.node node_modules/better-sqlite3/build/Release/
COPY --from=build /app/dist dist
# The runtime reads config/default.yaml (unless BRIEFWIRE_CONFIG names another) and the
# demo feed it subscribes the console to; the gazetteer is compiled into dist/ already.
# The entity models (models/ner/<lang>.bwnr), read from dist/../models at start.
COPY models/ner models/ner
COPY config/default.yaml config/
COPY config/demo config/demo
# The SQLite store (briefwire.db) lives here; a new named volume takes this owner.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
VOLUME /app/data
# /healthz, /readyz, /metrics and the Telegram webhook (HTTP_PORT).
EXPOSE 8080
# Node itself asks: a slim image has no curl.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz',{signal:AbortSignal.timeout(4000)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Exec form: node gets SIGTERM itself (no shell, no npm in between) and stops cleanly.
# With a TELEGRAM_BOT_TOKEN or DISCORD_TOKEN the bot is a service until SIGTERM; without
# one (and no terminal) it polls the feeds once, prints the briefs and exits.
CMD ["node", "dist/cli.js", "run"]
