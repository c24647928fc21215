# One image for every retarget function (KRM functions: a ResourceList on stdin and
# stdout). The function is the entrypoint argument, or without one the FUNCTION build
# arg (default hydrate): kpt's `image:` form and kustomize's container form pass none.
#
#   docker build -t ghcr.io/retarget-dev/retarget:0.1.0 .
#   docker build --build-arg FUNCTION=set-fs-group \
#     -t ghcr.io/retarget-dev/retarget-set-fs-group:0.1.0 .
#   docker run -i --rm ghcr.io/retarget-dev/retarget:0.1.0 set-fs-group < resource-list.yaml

FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY scripts/ scripts/
COPY src/ src/
COPY functions/ functions/
RUN node scripts/build.mjs

# Small final stage: node and the self-contained bundles, no node_modules, no npm use.
# Alpine keeps a shell and /usr/bin/env, which the bundles' shebang and Argo CD's
# plugin sidecar (argocd/) rely on.
FROM node:20-alpine
ARG FUNCTION=hydrate
COPY --from=build /src/dist/ /opt/retarget/
RUN for f in /opt/retarget/retarget*.js; do ln -s "$f" "/usr/local/bin/$(basename "$f" .js)"; done \
    && test -x "/usr/local/bin/retarget-${FUNCTION}"
ENV RETARGET_FUNCTION=${FUNCTION}
# The KRM functions specification asks functions to run as nobody.
USER 65534:65534
WORKDIR /tmp
ENTRYPOINT ["retarget", "run"]
