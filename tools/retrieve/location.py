"""Resolving where the index lives and opening a Chroma client for it.

Precedence: explicit arguments (the CLI's --index-dir / --chroma-url), then
$KPC_CHROMA_URL, then $KPC_INDEX_DIR, then `state_dir()/index`.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from tools.errors import InputError, RetrievalError
from tools.paths import state_dir
from tools.retrieve.models import IndexLocation

DEFAULT_COLLECTION = "kpc-exemplars"


def resolve_location(
    index_dir: str | Path | None = None,
    chroma_url: str | None = None,
    collection: str | None = None,
) -> IndexLocation:
    """The index location from the arguments, the environment or the default state folder."""
    if index_dir and chroma_url:
        raise InputError("give either an index folder or a Chroma server URL, not both")
    name = collection or DEFAULT_COLLECTION
    if index_dir:
        return IndexLocation(
            backend="local", path=str(Path(index_dir).expanduser().resolve()), collection=name
        )
    url = chroma_url or os.environ.get("KPC_CHROMA_URL")
    if url:
        return IndexLocation(backend="server", url=normalise_url(url), collection=name)
    env_dir = os.environ.get("KPC_INDEX_DIR")
    path = Path(env_dir).expanduser().resolve() if env_dir else state_dir() / "index"
    return IndexLocation(backend="local", path=str(path), collection=name)


def normalise_url(url: str) -> str:
    """`http://host:port` from what a user typed; InputError for anything that is not an http(s) URL."""
    text = url.strip()
    if "://" not in text:
        text = "http://" + text
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise InputError(
            f"{url!r} is not a Chroma server URL", hint="use e.g. --chroma-url http://127.0.0.1:8000"
        )
    try:
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
    except ValueError as exc:
        raise InputError(f"{url!r} has an invalid port") from exc
    host = parsed.hostname if ":" not in parsed.hostname else f"[{parsed.hostname}]"
    return f"{parsed.scheme}://{host}:{port}"


def open_client(location: IndexLocation, *, create: bool = True) -> Any:
    """A chromadb client for `location`; RetrievalError when a server does not answer.

    With `create=False` a missing local folder is not created (status checks must not
    leave empty folders behind) and None is returned instead.
    """
    import chromadb  # local: chromadb is heavy and only retrieval needs it
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if location.backend == "local":
        path = Path(location.path or "")
        if not create and not path.is_dir():
            return None
        path.mkdir(parents=True, exist_ok=True)
        try:
            return chromadb.PersistentClient(path=str(path), settings=settings)
        except Exception as exc:  # chromadb raises several unrelated types for a bad folder
            raise RetrievalError(
                f"cannot open the index at {path}: {_first_line(exc)}",
                hint="remove the folder and run `kpc index build`",
            ) from exc
    parsed = urlparse(location.url or "")
    try:
        client = chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1",
            port=parsed.port or 8000,
            ssl=parsed.scheme == "https",
            settings=settings,
        )
        client.heartbeat()
    except Exception as exc:  # connection refused, DNS, TLS: all mean "not reachable"
        raise RetrievalError(
            f"the Chroma server at {location.url} is not reachable: {_first_line(exc)}",
            hint="start it with `chroma run --path DIR --port N` or unset KPC_CHROMA_URL",
        ) from exc
    return client


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else type(exc).__name__
