"""Serve a store: a REST API (reads open, writes behind a bearer token) and a web UI.

`storyweave serve --db FILE` runs it; `create_app` builds the ASGI app for tests or another
server.
"""

from __future__ import annotations

from .app import ServeSettings, create_app
from .netguard import RefusedURL, check_public_url


def serve(settings: ServeSettings, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app under uvicorn until interrupted."""
    import uvicorn

    uvicorn.run(create_app(settings), host=host, port=port, proxy_headers=False, server_header=False)


__all__ = ["RefusedURL", "ServeSettings", "check_public_url", "create_app", "serve"]
