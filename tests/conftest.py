"""Shared fixtures: a database on SQLite and on a real PostgreSQL server, and a local feed server."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine

from core.db import make_engine
from crisisdesk import schema
from tests.helpers.feedserver import FeedServer
from tests.helpers.postgres import PostgresServer, PostgresUnavailable

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
_TEMPLATE = "crisisdesk_template"
_counter = itertools.count()


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, or a skip saying why the test cannot run in a clone of the project alone."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared/ is only beside the project's own checkout)")
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | str]:
    """The server, or the reason it could not start (tests on PostgreSQL then skip saying so)."""
    try:
        server = PostgresServer(in_memory=True).start()
    except PostgresUnavailable as exc:
        if os.environ.get("CRISISDESK_REQUIRE_POSTGRES"):
            raise
        yield str(exc)
        return
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{_TEMPLATE}"')
    template = make_engine(server.url(_TEMPLATE))
    schema.upgrade(template)
    template.dispose()
    admin.dispose()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per session, copied for each test: running every migration again for
    each of ~400 tests cost more than a minute of the suite."""
    path = tmp_path_factory.mktemp("template") / "crisisdesk.db"
    engine = make_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    engine.dispose()  # the last connection closed checkpoints the write-ahead log into the file
    assert not path.with_name(path.name + "-wal").exists() or not path.with_name(path.name + "-wal").stat().st_size
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated, empty database: a file on SQLite, a fresh database on the test PostgreSQL server."""
    if request.param == "sqlite":
        target = tmp_path / "crisisdesk.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    server = request.getfixturevalue("postgres")
    if isinstance(server, str):
        pytest.skip(f"PostgreSQL half skipped: {server}")
    name = f"t_{os.getpid()}_{next(_counter)}"
    admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{_TEMPLATE}"')
    yield server.url(name)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(autouse=True)
def public_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The official crisis feed files of a test go to its own folder, never into data/."""
    path = tmp_path / "public"
    monkeypatch.setenv("CRISISDESK_PUBLIC_DIR", str(path))
    return path


@pytest.fixture(autouse=True)
def audit_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test signs with its own desk key (created on first use), never the checkout's var/keys/."""
    path = tmp_path / "keys" / "audit-ed25519.pem"
    monkeypatch.setenv("CRISISDESK_AUDIT_KEY", str(path))
    return path


@pytest.fixture(autouse=True)
def alerts_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Alerts read a test's own configuration (none unless it writes one), never the checkout's var/alerts.yaml."""
    path = tmp_path / "alerts.yaml"
    monkeypatch.setenv("CRISISDESK_ALERTS_CONFIG", str(path))
    return path


@pytest.fixture(autouse=True)
def cheap_password_hashes(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Passwords hashed with argon2id at a test's cost: the production profile (64 MiB, 3 passes, about
    0.2 s a hash) on every team and sign-in of the suite cost minutes. The browser tests keep it, since
    their dashboard process verifies with the production hasher and would rehash every password; the
    tests of the hashing itself ask for it with the `production_password_hashes` marker."""
    if request.node.get_closest_marker("production_password_hashes") or "e2e" in request.node.path.parts:
        return
    from argon2 import PasswordHasher

    from playbooks.workflow import users

    monkeypatch.setattr(users, "_HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """With `-n N` (pytest-xdist; `make test` runs two workers): each test goes to the next free worker,
    except the browser tests (tests/e2e/), which go to one worker together, first. That worker runs them
    module after module, so that each module's demo and browser serve all its tests; the other worker
    keeps a core for the rest of the suite meanwhile; and the longest run of tests does not come last.
    (xdist's own `--dist loadgroup` would do this with a mark, but it names a group by changing the test's
    node id, which pytest 9.2 no longer reads.) A `--dist` other than the default `load` is left alone."""
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BrowserTestsTogether(LoadScopeScheduling):
        # Units of work: the browser tests as one, every other test alone. Units with more tests go out
        # first (xdist's --loadscope-reorder, on by default), so the browser tests start at once.
        def _split_scope(self, nodeid: str) -> str:
            return "tests/e2e" if nodeid.startswith("tests/e2e/") else nodeid

    return BrowserTestsTogether(config, log)


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    with FeedServer() as server:
        yield server


@pytest.fixture
def fixture_feed() -> callable:  # type: ignore[valid-type]
    def read(name: str) -> bytes:
        return (FIXTURES / "feeds" / name).read_bytes()

    return read


@pytest.fixture
def team(engine: Engine) -> dict[str, str]:
    from tests.helpers.team import make_team

    return make_team(engine)
