"""The ``exokg`` click group: one thin module per command group, registered here.

Exit codes: 0 success; 1 the data is invalid or inconsistent; 2 unusable input
or an engine failure; 3 a query hit its time limit. Each command module imports
only click at load time; the pipeline is imported inside the command that runs it,
so ``exokg query run`` starts fast.
"""

from __future__ import annotations

import click

from exokg.cli.build import build
from exokg.cli.curation import coverage, curation
from exokg.cli.export import export
from exokg.cli.links import links
from exokg.cli.mine import mine
from exokg.cli.push import push
from exokg.cli.query import query, sparql
from exokg.cli.reason import reason
from exokg.cli.release import release
from exokg.cli.validate import validate
from exokg.serve.cli import serve

__all__ = ["cli"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="exokg", prog_name="exokg")
def cli() -> None:
    """exokg: a knowledge graph of cancer cell-derived exosomes.

    \b
    Example:
      exokg build --out dist
      exokg query run mirnas-elevated-in-cancer --param cancer=exokg.entity:pancreatic-cancer
    """


for command in (build, query, sparql, export, validate, reason, coverage, links, curation, mine, push, release, serve):
    cli.add_command(command)
