# syntax=docker/dockerfile:1
# habitat-cmp sidecar image for Argo CD's repo-server (see argocd/ and plugin.yaml).
#
#   npm ci && npm run build            # produces dist/habitat-cmp.cjs (one self-contained file)
#   docker build -t habitat-cmp:0.1.0 .
#
# The entrypoint binary, argocd-cmp-server, is not in this image: the repo-server
# pod's copyutil init container puts it on the shared var-files volume at
# /var/run/argocd, so it always matches the installed Argo CD version.

# Override to pin a digest: --build-arg NODE_IMAGE=node:24-bookworm-slim@sha256:...
ARG NODE_IMAGE=node:24-bookworm-slim
FROM ${NODE_IMAGE}

# The plugin only needs the node binary. Dropping npm, corepack and yarn leaves no
# package manager (and no package-manager cache) for anything to use at run time.
RUN rm -rf /usr/local/lib/node_modules /usr/local/bin/npm /usr/local/bin/npx \
        /usr/local/bin/corepack /usr/local/bin/yarn /usr/local/bin/yarnpkg /opt/yarn-* \
        /root/.npm /root/.cache /tmp/* \
    && groupadd --gid 999 argocd \
    && useradd --uid 999 --gid 999 --home-dir /tmp --no-create-home --shell /usr/sbin/nologin argocd

# Argo CD gives the sidecar its own emptyDir at /tmp; nothing else is writable
# (readOnlyRootFilesystem), so HOME points there too.
ENV HOME=/tmp

COPY --chmod=0755 dist/habitat-cmp.cjs /opt/habitat-cmp/habitat-cmp.cjs
COPY --chmod=0644 plugin.yaml /home/argocd/cmp-server/config/plugin.yaml

# V8 code cache for this image's Node (the one from the build machine would be
# rejected): renders a built-in app in memory and writes habitat-cmp.cjs.cache.
# The V8 flags must be plugin.yaml's, or V8 rejects the cache at run time.
# Read-only at run time; without it the CLI still works, only starts slower.
RUN node --max-semi-space-size=4 /opt/habitat-cmp/habitat-cmp.cjs --write-code-cache \
    && chmod 0644 /opt/habitat-cmp/habitat-cmp.cjs.cache

USER 999
WORKDIR /tmp
ENTRYPOINT ["/var/run/argocd/argocd-cmp-server"]
