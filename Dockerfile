# FinOps Bridge as a container: the bridge API and sync engine, plain JavaScript on Node, production
# dependencies only, as a non-root user. Build from the repository root:
#   docker build -t finops-bridge .
# Configure with the variables of bridge-service/.env.example (docker run --env-file, compose.yaml, or App
# Service application settings). test/deploy/production.test.ts runs this file's steps on every CI run.

# --- build: compile the server, the CLI and the admin console to dist/ -------------------------------------------------------
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY bridge-service/package.json bridge-service/
COPY sandbox/package.json sandbox/
COPY controls/package.json controls/
COPY solution/package.json solution/
COPY test/package.json test/
RUN npm ci --workspace=bridge-service --ignore-scripts --no-audit --no-fund
COPY tsconfig.base.json ./
COPY bridge-service/ bridge-service/
# The admin console's sources (bundled into dist/admin/console.js with React, Fluent UI and MSAL, which are
# development dependencies of bridge-service for that reason).
COPY controls/admin-console/ controls/admin-console/
COPY controls/common/ controls/common/
COPY controls/SyncStatus/ controls/SyncStatus/
RUN npm run build --workspace=bridge-service

# --- run ---------------------------------------------------------------------------------------------------
FROM node:24-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=8080 DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
COPY bridge-service/package.json bridge-service/
COPY sandbox/package.json sandbox/
COPY controls/package.json controls/
COPY solution/package.json solution/
COPY test/package.json test/
RUN npm ci --omit=dev --workspace=bridge-service --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/bridge-service/dist bridge-service/dist
COPY bridge-service/bin bridge-service/bin
RUN mkdir -p /data && chown node:node /data
USER node
# A bounded heap (V8 otherwise lets it grow towards the container's memory before collecting hard): measured
# enough for an initial sync of 100,000 customers (BENCHMARKS.md). A larger tenant sets its own, e.g.
# docker run -e NODE_OPTIONS=--max-old-space-size=512 (see the admin guide, section 5).
ENV NODE_OPTIONS=--max-old-space-size=192
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.PORT+'/health').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--enable-source-maps", "bridge-service/dist/server.js"]
