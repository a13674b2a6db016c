"""The README's control examples, run as a user runs them: each block marked `<!-- runnable: ... -->` goes to
bash as written (curl and jq, which `make test` installs when missing), against a real server, with only
`localhost:8000` pointed at it. A block passes when every command succeeds, no answer is a 5xx, and every
sandbox call answers 2xx (the API calls may show an error on purpose: a fault, an unknown id)."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator

import httpx
import pytest

from server_process import ROOT, Server, module_server

MARK = "<!-- runnable: tests/test_readme_examples.py runs this block against a server -->"
BLOCK = re.compile(re.escape(MARK) + r"\n```sh\n(.*?)\n```", re.S)
# every curl of a block reports its status on stderr (curl 7.72+), leaving stdout to the example's own pipes
WRAPPER = "curl() { command curl -w '%{stderr}HTTP %{http_code} %{method} %{url_effective}\\n' \"$@\"; }\n"
STATUS = re.compile(r"^HTTP (\d{3}) (\w+) (\S+)$", re.M)


def blocks() -> list[str]:
    return BLOCK.findall((ROOT / "README.md").read_text(encoding="utf-8"))


def first_words(block: str) -> str:
    return next(line for line in block.splitlines() if line.strip())[:60]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    for tool in ("curl", "jq", "bash"):
        assert shutil.which(tool), f"{tool} is missing: `make test` installs it (see the Makefile's system-tools)"
    yield from module_server(tmp_path_factory, "readme")


def test_the_readme_marks_its_control_examples() -> None:
    found = blocks()
    assert len(found) >= 4, found  # tenants, scenarios, faults, the journal
    for needle in ("/sandbox/api/tenants", "/sandbox/api/scenarios", "/sandbox/api/faults", "/sandbox/api/requests"):
        assert any(needle in b for b in found), needle


@pytest.mark.parametrize("block", blocks(), ids=first_words)
def test_readme_example_runs(server: Server, block: str) -> None:
    base = server.base
    for call in ("/sandbox/api/faults", "/sandbox/api/tenants"):
        assert httpx.delete(base + call).status_code == 200
    assert httpx.post(base + "/sandbox/api/reset").status_code == 200
    script = WRAPPER + block.replace("localhost:8000", base.removeprefix("http://"))
    run = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=ROOT, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-2000:])
    answers = STATUS.findall(run.stderr)
    assert len(answers) == block.count("curl "), (answers, run.stderr[-2000:])
    for status, method, url in answers:
        assert int(status) < 500, (status, method, url, run.stdout[-2000:])
        if "/sandbox/api/" in url:
            assert 200 <= int(status) < 300, (status, method, url, run.stdout[-2000:])
