# mockwish in one container: the same install and start as `make serve`.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    MOCKWISH_HOST=0.0.0.0 \
    MOCKWISH_PORT=8000 \
    MOCKWISH_DATA_DIR=/data \
    MOCKWISH_FIXTURES_DIR=/app/fixtures

WORKDIR /app
COPY pyproject.toml README.md ./
COPY mockwish ./mockwish
COPY fixtures ./fixtures
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin mockwish \
    && mkdir -p /data \
    && chown mockwish /data

USER 10001
VOLUME ["/data"]
EXPOSE 8000 8001

HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, sys, urllib.request; port = os.environ.get('MOCKWISH_PORT', '8000'); sys.exit(0 if urllib.request.urlopen(f'http://127.0.0.1:{port}/healthz', timeout=2).status == 200 else 1)"]

CMD ["python", "-m", "mockwish", "serve"]
