"""``exokg serve``: the web app over a build folder, under uvicorn."""

from __future__ import annotations

import sys
from pathlib import Path

import click

__all__ = ["serve"]


@click.command()
@click.option(
    "--dist",
    type=click.Path(path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Build folder written by `exokg build`.",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; loopback by default, 0.0.0.0 only when you mean it.",
)
@click.option("--port", type=int, default=8000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=2,
    show_default=True,
    help="Query worker processes (the bound on concurrent queries).",
)
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds before a query is stopped.")
@click.option("--max-rows", type=int, default=10_000, show_default=True, help="Row cap (answers are truncated).")
@click.option(
    "--memory-mb",
    type=int,
    default=2048,
    show_default=True,
    help="MiB of address space a query worker may add once its store is open (0: no cap).",
)
@click.option(
    "--cache-mb",
    type=int,
    default=64,
    show_default=True,
    help="Memory for cached GET answers (the store is read-only); 0 turns the cache off.",
)
def serve(
    dist: Path, host: str, port: int, workers: int, timeout: float, max_rows: int, memory_mb: int, cache_mb: int
) -> None:
    """Serve the built graph: SPARQL endpoint, linked-data pages and the canned-query API (read-only).

    \b
    Example:
      exokg serve --dist dist --port 8000   # then open http://127.0.0.1:8000/
    """  # fmt: skip
    import uvicorn

    from exokg.serve.app import Settings, create_app
    from exokg.serve.backend import STORE_DIRNAME, InputError

    if not (dist / STORE_DIRNAME).is_dir():
        error = InputError("no query store here: run `exokg build` first (or pass --dist)", path=dist / STORE_DIRNAME)
        click.echo(f"exokg: error: {error.render()}", err=True)
        sys.exit(error.exit_code)
    settings = Settings(
        dist=dist.resolve(), workers=workers, timeout=timeout, row_cap=max_rows, memory_mb=memory_mb, cache_mb=cache_mb
    )
    click.echo(f"exokg: serving {dist} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning", proxy_headers=False)
