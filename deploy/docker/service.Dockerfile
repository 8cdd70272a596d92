# One image per Linli service: docker build --build-arg SERVICE=dispatch -f deploy/docker/service.Dockerfile .
FROM node:20.20-bookworm-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE} KAFKAJS_NO_PARTITIONER_WARNING=1 SWC_NODE_PROJECT=/app/tsconfig.base.json
WORKDIR /app
COPY package.json package-lock.json ./
# Services run from source through @swc-node/register (a runtime dependency), so no build stage.
RUN npm ci --omit=dev --no-audit --no-fund
COPY tsconfig.base.json .swcrc ./
COPY libs ./libs
COPY services ./services
USER node
EXPOSE 3000
HEALTHCHECK --interval=10s --timeout=3s --retries=5 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["sh", "-c", "exec node -r @swc-node/register services/${SERVICE}/src/main.ts"]
