"""Allow ``python -m exokg``."""

from exokg.cli.main import main

if __name__ == "__main__":
    main()
