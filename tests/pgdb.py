"""A throwaway database on the PostgreSQL server the tests are given (STORYWEAVE_TEST_PG), one
helper for every test module that runs the store on PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

PG_ENV = "STORYWEAVE_TEST_PG"


@contextmanager
def fresh_database(base_url: str, prefix: str = "sw_test") -> Iterator[str]:
    """A new, empty database on the server at `base_url`, dropped afterwards; yields its URL."""
    from sqlalchemy import create_engine, make_url, text

    base = make_url(base_url)
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        yield base.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
