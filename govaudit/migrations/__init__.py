"""Schema migrations of the store, managed by alembic on SQLite and PostgreSQL alike.

`Store` calls `upgrade` every time it opens a database: a store at the newest revision costs one
read of ``alembic_version``; otherwise the pending revisions run in one transaction that holds a
lock (``BEGIN IMMEDIATE`` on SQLite, an advisory lock on PostgreSQL), so that processes opening the
same new store at once (a crawl fleet) migrate it once. The first revision also adopts a store
created before migrations existed (docs/schema.md, *Schema versions*).
"""
from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, Engine

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

FOLDER = Path(__file__).resolve().parent
#: The newest revision, kept here so that opening a store already at it does not import alembic
#: (0.4 s of every command's start-up); tests/unit/test_store.py checks it against versions/.
HEAD = "0002"
#: Key of the PostgreSQL advisory lock held while migrating.
PG_LOCK = 0x60FA0D17


class MigrationError(Exception):
    pass


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(FOLDER))
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config())


def head() -> str:
    """The newest revision this govaudit knows."""
    return _scripts().get_current_head()


def current(conn: Connection) -> str | None:
    """The revision the database is at (None: never migrated)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _lock(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": PG_LOCK})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine) -> str:
    """Bring the database to the newest revision; returns the revision it was at before."""
    with engine.connect() as conn:
        before = current(conn)
    if before == HEAD:
        return before
    if before is not None and before not in {script.revision for script in _scripts().walk_revisions()}:
        raise MigrationError(f"the store is at schema revision {before}, which this govaudit does not know "
                             f"(its newest is {head()}): a newer govaudit wrote it; upgrade govaudit")
    with engine.begin() as conn:
        _lock(conn)
        from alembic import command

        command.upgrade(_config(conn), "head")
    return before
