"""Serve a store: a REST API (reads open, writes behind a bearer token) and a web UI.

`storyweave serve --db FILE` runs it: `create_app` builds the ASGI app (opening the store), and
`run_app` serves it with uvicorn.
"""

from __future__ import annotations

from fastapi import FastAPI

from .app import ServeSettings, create_app
from ..ingest.netpolicy import RefusedURL


def run_app(app: FastAPI, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve `app` (from `create_app`) under uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(app, host=host, port=port, proxy_headers=False, server_header=False)


__all__ = ["RefusedURL", "ServeSettings", "create_app", "run_app"]
