# The release controller (`gitops serve`) as an image. Build:
#   docker build --build-arg TERRAFORM_SHA256=<sha256 of the zip> -t gitops-controller .
# TERRAFORM_SHA256 is the line for terraform_<version>_linux_<arch>.zip in HashiCorp's
# terraform_<version>_SHA256SUMS; the build refuses to run without it.
# No secret goes into the image: APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH to a mounted file) and
# WEBHOOK_SECRET come from the environment at run time; .dockerignore keeps .env and *.pem out.

ARG NODE_IMAGE=node:20-bookworm-slim

# What installing the dependencies needs: better-sqlite3 compiles when no prebuilt binary fits.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

# Production dependencies only.
FROM toolchain AS deps
RUN npm ci --omit=dev --no-audit --no-fund

# The JavaScript build (npm run build → dist/).
FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY controller ./controller
COPY environments ./environments
COPY modules ./modules
RUN npm run build

# terraform from HashiCorp's release zip, checked against the sha256 given at build time.
FROM ${NODE_IMAGE} AS terraform
ARG TERRAFORM_VERSION=1.11.4
ARG TERRAFORM_SHA256
ARG TARGETARCH=amd64
RUN test -n "${TERRAFORM_SHA256}" \
   || { echo "TERRAFORM_SHA256 is required (the sha256 of terraform_${TERRAFORM_VERSION}_linux_${TARGETARCH}.zip)"; exit 1; } \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/* \
 && curl -fsSLo /tmp/terraform.zip \
      "https://releases.hashicorp.com/terraform/${TERRAFORM_VERSION}/terraform_${TERRAFORM_VERSION}_linux_${TARGETARCH}.zip" \
 && echo "${TERRAFORM_SHA256}  /tmp/terraform.zip" | sha256sum -c - \
 && unzip -d /usr/local/bin /tmp/terraform.zip terraform \
 && rm /tmp/terraform.zip

# What a plan needs at run time: git (clones and work trees), bubblewrap with util-linux's setpriv
# and prlimit (the sandbox pull request code runs in), npm (the sandboxed dependency install, in the
# node image), terraform, and CA certificates (GitHub, the npm registry, providers).
FROM ${NODE_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends bubblewrap ca-certificates git util-linux \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /var/lib/gitops \
 && chown node:node /var/lib/gitops
COPY --from=terraform /usr/local/bin/terraform /usr/local/bin/terraform
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json package-lock.json app.yml ./
COPY bin ./bin
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    GITOPS_WORK_DIR=/var/lib/gitops \
    CHECKPOINT_DISABLE=1
# The work directory holds clones, plans and the SQLite store: mount a volume there to keep them.
VOLUME ["/var/lib/gitops"]
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "bin/gitops.mjs", "serve"]
