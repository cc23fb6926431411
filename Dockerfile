# Production image of the provider (the card bridge runs on citizens' machines, not here).
# Configure with environment variables: ISSUER, KEYS_DIR (mount it with jwks.json, cookie-keys.json and
# pairwise-secret.json, or give that secret in PAIRWISE_SECRET: docs/keys.md), REDIS_URL, CLIENTS_FILE,
# CIE_TRUST_ANCHORS, CIE_INTERMEDIATES … (see README, "Configuration").

FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# pcsclite is optional and only used by the bridge: skip native builds in the provider image.
RUN npm ci --no-audit --no-fund --omit=optional
# src/ only (tsconfig.image.json): scripts/ (demo, bench, screens) import test helpers, which the build
# context leaves out (.dockerignore), and the image runs none of them.
COPY tsconfig.json tsconfig.build.json tsconfig.image.json ./
COPY src ./src
RUN npx tsc -p tsconfig.image.json

FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --omit=dev --omit=optional

FROM node:22-bookworm-slim
ENV NODE_ENV=production GENERATE_KEYS=false PORT=3000 KEYS_DIR=/keys
# A young generation of up to 128 MiB per semi-space (Node's default is 16): a login's short-lived objects die
# there instead of being copied and promoted: 12-15 % less CPU per login for 110-220 MiB more resident at
# saturation (docs/operations.md, "Memory"; docs/benchmarks.md, session 13). The bench runs providers with it.
ENV NODE_OPTIONS=--max-semi-space-size=128
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY views ./views
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/src/server.js"]
