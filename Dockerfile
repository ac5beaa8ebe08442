# syntax=docker/dockerfile:1
# Multi-stage: dependencies are resolved in a full image, the runtime image has only what `npm start` needs.
FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
COPY locales ./locales
USER node
EXPOSE 8080
CMD ["node", "node_modules/tsx/dist/cli.mjs", "src/main.ts"]
