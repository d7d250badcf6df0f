# The hub image: the same for the web and the worker processes (docker-compose.yml).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY hub hub
COPY connectors connectors
COPY tenants tenants
COPY consent consent
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/ketenhub ketenhub \
    && mkdir -p /var/lib/ketenhub && chown ketenhub /var/lib/ketenhub
USER ketenhub
ENV KETENHUB_DATA_DIR=/var/lib/ketenhub KETENHUB_HOST=0.0.0.0
EXPOSE 8000
CMD ["ketenhub", "serve"]
