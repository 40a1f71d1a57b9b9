"""Alembic environment of the govaudit store (both SQLite and PostgreSQL).

`govaudit.migrations.upgrade` runs it on the store's own connection (passed as
``config.attributes["connection"]``, already inside a locked transaction). Run by the `alembic`
command line (``alembic revision --autogenerate -m …`` from the repository root, which reads
``[tool.alembic]`` in pyproject.toml), it connects to ``-x db=URL``, else ``$GOVAUDIT_DB``.
"""
import os

from alembic import context
from sqlalchemy import TypeDecorator, create_engine

from govaudit.store import engine_url, metadata


def render_item(kind: str, obj, _autogen_context):
    """Revisions spell a store type such as UTCDateTime as the column type it stands for."""
    if kind == "type" and isinstance(obj, TypeDecorator):
        return f"sa.{obj.impl!r}"
    return False


def run(connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_item=render_item,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("db") or os.environ.get("GOVAUDIT_DB")
    if not url:
        raise SystemExit("name the store: alembic -x db=URL … (or set GOVAUDIT_DB)")
    with create_engine(engine_url(url)).begin() as own:
        run(own)
