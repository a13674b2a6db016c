"""The published JSON Schema is the models' own, and `mockwish load` validates, writes beside a server's data,
and sends the file to a running server with --url."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from mockwish.cli import NOT_APPLIED_OFFLINE, cli
from mockwish.scenarios import SCHEMA_PATH
from mockwish.scenarios.__main__ import schema_text
from mockwish.scenarios.model import json_schema

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "scenarios"
ENV = {"MOCKWISH_PRODUCTS_PER_MERCHANT": "5"}


def test_the_committed_schema_is_the_models_schema() -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), "run: python -m mockwish.scenarios"
    schema = json_schema()
    assert schema["additionalProperties"] is False and "merchants" in schema["properties"]
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values())


def test_load_writes_the_rows_and_warns_about_controls(tmp_path: Path) -> None:
    out = CliRunner().invoke(cli, ["load", str(FIXTURES / "ten-orders-to-ship.yaml"), "--data-dir", str(tmp_path)],
                             env=ENV)
    assert out.exit_code == 0, out.output
    report = json.loads(out.stdout)
    assert report["merchants"][0]["orders"] == 10 and report["merchants"][0]["tokens"][0]["token"] == "ten_orders_token"
    assert NOT_APPLIED_OFFLINE not in out.stderr
    # the same file again: its username and token are taken now; every conflict is printed, nothing written
    again = CliRunner().invoke(cli, ["load", str(FIXTURES / "ten-orders-to-ship.yaml"), "--data-dir", str(tmp_path)],
                               env=ENV)
    assert again.exit_code == 1
    assert "merchants[0].username" in again.stderr and "merchants[0].tokens[0].token" in again.stderr
    limited = CliRunner().invoke(cli, ["load", str(FIXTURES / "merchant-at-rate-limit.yaml"),
                                       "--data-dir", str(tmp_path)], env=ENV)
    assert limited.exit_code == 0 and NOT_APPLIED_OFFLINE in limited.stderr, limited.output


def test_load_prints_every_problem_and_exits_non_zero(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("merchants:\n  - key: a\n    orders: [{count: 0}]\n  - key: a\n    tokens: [{scopes: [nope]}]\n")
    out = CliRunner().invoke(cli, ["load", str(bad), "--data-dir", str(tmp_path / "data")], env=ENV)
    assert out.exit_code == 1
    assert "merchants[0].orders[0].count (line 3)" in out.stderr
    assert "merchants[1].key (line 4)" in out.stderr and "merchants[1].tokens[0].scopes[0] (line 5)" in out.stderr
    assert not (tmp_path / "data").exists()  # invalid: the data dir is not even opened


class _Server(BaseHTTPRequestHandler):
    seen: list[tuple[str, str, bytes]] = []
    answer: tuple[int, dict[str, Any]] = (200, {})

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Server.seen.append((self.path, self.headers["Content-Type"], body))
        status, payload = _Server.answer
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *_: Any) -> None:
        pass


def test_load_with_url_posts_the_file_to_the_running_server() -> None:
    server = HTTPServer(("127.0.0.1", 0), _Server)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        _Server.answer = (200, {"merchants": [], "faults": ["fault-1", "fault-2"]})
        path = FIXTURES / "flaky-wish.yaml"
        out = CliRunner().invoke(cli, ["load", str(path), "--url", url])
        assert out.exit_code == 0, out.output
        assert _Server.seen[-1] == ("/sandbox/api/scenarios?into=default", "application/yaml", path.read_bytes())
        assert json.loads(out.stdout)["faults"] == ["fault-1", "fault-2"]
        _Server.answer = (400, {"code": 1000, "message": "invalid scenario", "data": {"problems": [
            {"location": "merchants[0].username", "message": "taken"}]}})
        refused = CliRunner().invoke(cli, ["load", str(path), "--url", url])
        assert refused.exit_code == 1 and "merchants[0].username: taken" in refused.stderr
    finally:
        server.shutdown()
        server.server_close()
