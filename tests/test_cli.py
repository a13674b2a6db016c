"""The CLI and the real server process, started the way a user starts it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from mockwish.cli import cli
from mockwish.seed.wishpost import DEFAULT_CARRIER_KEY, DEFAULT_WISHPOST_TOKEN
from support import DEFAULT_TOKEN

ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_seed_command(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["seed", "--seed", "9", "--data-dir", str(tmp_path)],
                             env={"MOCKWISH_PRODUCTS_PER_MERCHANT": "10"})
    assert out.exit_code == 0, out.output
    assert "seed 9" in out.output and (tmp_path / "mockwish.db").exists()
    again = CliRunner().invoke(cli, ["reset", "--data-dir", str(tmp_path)],
                               env={"MOCKWISH_PRODUCTS_PER_MERCHANT": "10"})
    assert again.exit_code == 0 and "seed 9" in again.output


def test_openapi_command(tmp_path: Path) -> None:
    target = tmp_path / "openapi.json"
    out = CliRunner().invoke(cli, ["openapi", "--out", str(target)])
    assert out.exit_code == 0, out.output
    doc = json.loads(target.read_text())
    assert "/api/v2/product/add" in doc["paths"]


@pytest.mark.slow
def test_serve_starts_seeds_and_answers(tmp_path: Path) -> None:
    port, wishpost_port = _free_port(), _free_port()
    env = {**os.environ, "MOCKWISH_DATA_DIR": str(tmp_path / "data"), "MOCKWISH_PRODUCTS_PER_MERCHANT": "20",
           "MOCKWISH_WISHPOST_PORT": str(wishpost_port)}
    proc = subprocess.Popen([sys.executable, "-m", "mockwish", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None and time.monotonic() < deadline, "server did not start"
            time.sleep(0.1)
        r = httpx.get(f"{base}/api/v2/auth_test", params={"access_token": DEFAULT_TOKEN})
        assert r.json()["code"] == 0 and r.headers["wish-request-id"]
        # the same app at the root of the WishPost port (and under /wishpost on the main port)
        wp = httpx.get(f"http://127.0.0.1:{wishpost_port}/api/v3/oauth/test",
                       headers={"Authorization": f"Bearer {DEFAULT_WISHPOST_TOKEN}"})
        assert wp.status_code == 200 and wp.json()["code"] == 0, wp.text
        assert httpx.get(f"{base}/wishpost/api/v3/oauth/test",
                         headers={"Authorization": f"Bearer {DEFAULT_WISHPOST_TOKEN}"}).json()["code"] == 0
        assert (tmp_path / "data" / "mockwish.db").exists()
    finally:
        proc.terminate()
        output = proc.communicate(timeout=10)[0]
    assert f"http://localhost:{port}/api/v2/" in output.replace("127.0.0.1", "localhost")
    assert DEFAULT_TOKEN in output and "merchant@example.com" in output
    assert DEFAULT_CARRIER_KEY in output  # the seeded carrier's X-API-Key is printed at startup
    assert DEFAULT_WISHPOST_TOKEN in output and "wishpost@example.com" in output and "Example Shipping ERP" in output
