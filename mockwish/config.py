"""All settings in one place (env prefix MOCKWISH_). Build one Settings per app; never a global."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="MOCKWISH_", env_file=None, extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    wishpost_port: int = 8001  # reserved for the WishPost surface (a later issue)
    data_dir: Path = Path("data")
    database_url: str | None = None  # default: sqlite:///<data_dir>/mockwish.db
    seed: int = 42
    fixtures_dir: Path | None = None  # default: the fixtures/ directory of the source tree
    products_per_merchant: int = 300
    public_url: str | None = None  # base for paging links and download links; default: the request's base URL
    default_locale: Literal["en", "zh", "fr", "de"] = "en"
    log_level: str = "info"
    access_log: bool = False
    max_body_bytes: int = 16 * 1024 * 1024  # a 5 MB image, base64 and form-encoded, must fit

    # asynchronous jobs: seconds spent PENDING, then RUNNING (progress is derived from the clock)
    job_pending_seconds: float = 2.0
    job_running_seconds: float = 5.0
    download_link_ttl_hours: int = 72
    temp_image_ttl_days: int = 14

    # Merchant API rate limits per merchant per app; the defaults never trip CI by accident
    rate_limit_enabled: bool = True  # off: no accounting at all (the benchmark's baseline)
    rate_limit_quota: int = 1000
    rate_limit_window_seconds: int = 60

    # wire choices where the docs disagree (see README "Wire choices")
    paging_back_link: Literal["prev", "previous"] = "prev"
    error_type_field: bool = False  # add SPEC's `type` string to error bodies

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'mockwish.db').as_posix()}"

    @property
    def db_path(self) -> Path | None:
        url = self.db_url
        if url.startswith("sqlite:///") and ":memory:" not in url:
            return Path(url.removeprefix("sqlite:///"))
        return None
