"""Command line: mockwish serve | seed | reset | openapi (also `python -m mockwish ...`)."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from mockwish.config import Settings

cli = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="mockwish: an offline Wish sandbox")


def _settings(**overrides: object) -> Settings:
    return Settings(**{k: v for k, v in overrides.items() if v is not None})


def banner(settings: Settings, host: str, port: int, apps: list[dict[str, object]] | None = None) -> str:
    from mockwish.seed.merchants import PLANS

    shown = "localhost" if host in ("0.0.0.0", "127.0.0.1", "::") else host
    base = settings.public_url or f"http://{shown}:{port}"
    lines = [
        "mockwish is serving:",
        f"  Merchant API v2     {base}/api/v2/   (alias {base}/v2/)",
        f"  Merchant OAuth      {base}/v3/oauth/authorize   tokens {base}/api/v3/oauth/access_token, "
        "refresh_token, test",
        f"  WishPost            port {settings.wishpost_port} (reserved, not served yet)",
        f"  Sandbox control     {base}/sandbox/api/   health {base}/healthz   docs {base}/docs",
        f"  Data                {settings.db_url}",
        "Seeded merchants (token / username / password):",
    ]
    lines += [f"  {p.key:<10} {p.token:<32} {p.username} / {p.password}" for p in PLANS]
    for a in (apps or [])[:1]:
        lines += ["OAuth app (authorize at " + f"{base}/v3/oauth/authorize?client_id={a['client_id']}):",
                  f"  {a['name']}: client_id {a['client_id']}  client_secret {a['client_secret']}  "
                  f"redirect_uri {a['redirect_uri']}"]
    lines.append(f"Try: curl '{base}/api/v2/auth_test?access_token={PLANS[0].token}'")
    return "\n".join(lines)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (MOCKWISH_HOST)")] = None,
    port: Annotated[int | None, typer.Option(help="Merchant API port (MOCKWISH_PORT)")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (MOCKWISH_DATA_DIR)")] = None,
) -> None:
    """Create/seed the database when empty and serve the API."""
    import uvicorn

    from mockwish.app import create_app

    settings = _settings(host=host, port=port, data_dir=data_dir)
    logging.basicConfig(level=settings.log_level.upper(), format="%(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    from mockwish.auth.oauth import list_apps

    with app.state.ctx.engine.connect() as conn:
        apps = list_apps(conn)
    typer.echo(banner(settings, settings.host, settings.port, apps))
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=settings.log_level,
                access_log=settings.access_log)


@cli.command()
def seed(
    seed: Annotated[int | None, typer.Option("--seed", help="Seed number (MOCKWISH_SEED)")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Data directory (MOCKWISH_DATA_DIR)")] = None,
) -> None:
    """Drop all data and generate it again from a seed."""
    from mockwish.app import build_context

    settings = _settings(seed=seed, data_dir=data_dir)
    ctx = build_context(settings)
    report = ctx.sandbox.reseed(settings.seed)  # type: ignore[attr-defined]
    typer.echo(f"seeded {report.merchants} merchants, {report.products} products, {report.variants} variants "
               f"(seed {report.seed}) into {settings.db_url}")


@cli.command()
def reset(data_dir: Annotated[Path | None, typer.Option(help="Data directory (MOCKWISH_DATA_DIR)")] = None) -> None:
    """Back to the seeded state (same seed as the current data)."""
    from mockwish.app import build_context

    ctx = build_context(_settings(data_dir=data_dir))
    store = ctx.sandbox
    # an empty data dir is seeded by prepare(); otherwise regenerate the current seed's data
    report = store.prepare() or store.reseed(store.seed)  # type: ignore[attr-defined]
    typer.echo(f"reset to seed {report.seed}")


@cli.command()
def openapi(
    out: Annotated[Path | None, typer.Option(help="Write to a file instead of stdout")] = None,
) -> None:
    """Print the OpenAPI document (built against a throwaway in-memory store)."""
    from mockwish.app import create_app

    app = create_app(Settings(database_url="sqlite:///:memory:", products_per_merchant=0))
    text = json.dumps(app.openapi(), indent=2, ensure_ascii=False)
    if out:
        out.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")


def main() -> None:
    cli()
