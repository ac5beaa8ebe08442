# syntax=docker/dockerfile:1
# Multi-stage: the TypeScript is compiled to JavaScript in one stage (`npm run build`; a type error stops the
# image), production dependencies are resolved in another, and the runtime image has only those, the compiled
# code and the locales. Plain node runs it as the unprivileged `node` user, and is the process that gets
# SIGTERM.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production HTTP_PORT=8080
WORKDIR /app
COPY --from=deps --chown=node:node /app/node_modules ./node_modules
COPY --chown=node:node package.json ./
COPY --from=build --chown=node:node /app/dist ./dist
COPY --chown=node:node locales ./locales
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+process.env.HTTP_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
# The audit runs in the image the same way: `docker compose exec bot node dist/audit.js`.
CMD ["node", "--enable-source-maps", "dist/main.js"]
