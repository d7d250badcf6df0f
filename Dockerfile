# The hub image: the same for the web and the worker processes (docker-compose.yml).
# Stage 1: the web's npm packages (NL Design System CSS), from the committed lock file.
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY hub hub
COPY connectors connectors
COPY tenants tenants
COPY consent consent
COPY --from=assets /assets/node_modules /opt/ketenhub/node_modules
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/ketenhub ketenhub \
    && mkdir -p /var/lib/ketenhub && chown ketenhub /var/lib/ketenhub
USER ketenhub
ENV KETENHUB_DATA_DIR=/var/lib/ketenhub KETENHUB_HOST=0.0.0.0 KETENHUB_WEB_ASSETS_DIR=/opt/ketenhub/node_modules
EXPOSE 8000
CMD ["ketenhub", "serve"]
