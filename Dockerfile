# The SCIM server as a container image, for a PostgreSQL of your own (compose.yaml runs one beside it):
#   docker build -t scim-server .
#   docker run -p 3000:3000 -e DATABASE_URL=postgres://… -e ADMIN_API_KEY=… -e PUBLIC_BASE_URL=https://… scim-server
# This file has not been built on the machine the project is developed on, which has no Docker engine; its steps
# (install, compile, prune, start in production mode) are run there without Docker (README, "Deploying to production").

ARG NODE_VERSION=20

FROM node:${NODE_VERSION}-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so that changing a source file reuses this layer. No scripts: `prepare` would compile sources
# that are not copied yet, and the embedded PostgreSQL's binaries are not used in a container (DATABASE_URL is).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ormconfig.ts ./
COPY scripts ./scripts
COPY src ./src
COPY bench ./bench
COPY test/support/ports.ts ./test/support/ports.ts
# Compile, then keep only what runs: no devDependencies, and no optional embedded PostgreSQL binaries (about 60 MB).
RUN node scripts/compile.mjs --always \
 && npm prune --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund

FROM node:${NODE_VERSION}-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The image's unprivileged user; the server writes nothing to disk in production.
USER node
EXPOSE 3000
# NODE_ENV=production: HOST defaults to 0.0.0.0, DATABASE_URL and ADMIN_API_KEY are required, pending migrations run
# at start (MIGRATIONS_RUN=false to run them as a step of their own: node node_modules/typeorm/cli.js migration:run
# -d dist/ormconfig.js). Logs are JSON lines on stdout. SIGTERM (docker stop) drains and exits 0.
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "dist/src/main.js"]
