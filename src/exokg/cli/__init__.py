"""The command line; the entry point is :func:`exokg.cli.main.main`."""
