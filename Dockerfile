# mockwish in one container: the same install and start as `make serve` (the locked dependencies, hash-checked,
# then the package without dependencies), into a virtual environment, so that a plain Debian base whose Python
# is externally managed (PEP 668) builds too: --build-arg BASE_IMAGE=debian:bookworm-slim.
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

# the image's port is published on purpose: listen on every interface and let any Host call the sandbox API
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    MOCKWISH_HOST=0.0.0.0 \
    MOCKWISH_PORT=8000 \
    MOCKWISH_WISHPOST_PORT=8001 \
    MOCKWISH_SANDBOX_ALLOWED_HOSTS=* \
    MOCKWISH_DATA_DIR=/data \
    MOCKWISH_FIXTURES_DIR=/app/fixtures

# python3 and its venv module come from apt only where the base lacks them (python:3.11-slim has both; Debian's
# own images have neither). Their versions are the base release's own, so they are not pinned here.
# hadolint ignore=DL3008
RUN if ! python3 -m venv /opt/venv >/dev/null 2>&1; then \
        rm -rf /opt/venv \
        && apt-get update \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv \
        && rm -rf /var/lib/apt/lists/* \
        && python3 -m venv /opt/venv; \
    fi \
    && useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin mockwish \
    && mkdir -p /data \
    && chown mockwish /data

WORKDIR /app
# the dependencies first, in their own layer: a change to the code does not install them again
COPY requirements.lock ./
RUN pip install --no-cache-dir --require-hashes -r requirements.lock

COPY pyproject.toml README.md ./
COPY mockwish ./mockwish
COPY fixtures ./fixtures
# the source under /app is what `python -m mockwish` imports (the working directory comes first on sys.path):
# its bytecode is compiled here, since PYTHONDONTWRITEBYTECODE keeps a start from writing it (as `make serve`)
RUN pip install --no-cache-dir --no-deps . \
    && python -m compileall -q mockwish \
    && rm -rf build mockwish.egg-info

USER 10001
VOLUME ["/data"]
EXPOSE 8000 8001

# probe where the server listens: the loopback when it listens on every interface, else its own address
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; h = os.environ.get('MOCKWISH_HOST') or '127.0.0.1'; h = '127.0.0.1' if h in ('0.0.0.0', '::') else h; h = '[' + h + ']' if ':' in h else h; urllib.request.urlopen('http://' + h + ':' + os.environ.get('MOCKWISH_PORT', '8000') + '/healthz', timeout=2)"]

CMD ["python", "-m", "mockwish", "serve"]
