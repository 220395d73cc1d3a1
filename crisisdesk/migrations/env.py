"""Alembic environment: runs on the connection `crisisdesk.schema` hands over, or on sqlalchemy.url."""

from alembic import context

import playbooks.workflow.alertmodels
import playbooks.workflow.models  # noqa: F401  (registers the workflow tables on Base.metadata)
from core.db import make_engine
from sources.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        engine = make_engine(config.get_main_option("sqlalchemy.url"))
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
