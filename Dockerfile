# One image for every Olist platform process (the seven services and the infra provisioning step).
# The command is chosen by the runtime, e.g. `node dist/apps/sales/src/main.js`
# (see docker-compose.yml and deploy/k8s/services.yaml); this file sets no CMD of its own.
FROM node:20-bookworm-slim

WORKDIR /app

# Dependencies first so the layer is reused while only sources change.
# Dev dependencies stay installed: the build (swc) and the provisioning tool run inside this image.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund && npm cache clean --force

COPY . .
RUN node tools/build/build.js

# Listen on all interfaces inside the container (the services default to 127.0.0.1).
ENV HOST=0.0.0.0
# Run unprivileged; the processes only read /app.
USER node
