"""The start-up schema check (mockwish.store.engine.schema_is_current) compares a data dir's tables with
create_all's statements run on a bare sqlite3 connection (cheaper than a second engine, issue 12): that is
exactly what create_all writes through SQLAlchemy, and any difference is still seen."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlmodel import SQLModel

from mockwish.store.engine import _ddl, _expected_ddl, schema_is_current


def test_expected_ddl_is_what_create_all_writes() -> None:
    scratch = create_engine("sqlite://")
    SQLModel.metadata.create_all(scratch)
    with scratch.connect() as conn:
        written = _ddl(conn)
    assert _expected_ddl() == written
    kinds = {kind for kind, _, _ in written}
    assert kinds == {"table", "index"} and len(written) > len(SQLModel.metadata.tables)


@pytest.mark.parametrize("change", [
    None,
    "DROP INDEX ix_product_merchant_updated",
    "ALTER TABLE product ADD COLUMN extra TEXT",
    "ALTER TABLE merchant RENAME COLUMN locale TO lang",
    "DROP TABLE product_return_setting",
])
def test_a_changed_schema_is_not_current(tmp_path: Path, change: str | None) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    SQLModel.metadata.create_all(engine)
    if change is not None:
        with engine.begin() as conn:
            conn.execute(text(change))
    assert schema_is_current(engine) is (change is None)
