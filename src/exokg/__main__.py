"""Allow ``python -m exokg``."""

from exokg.cli import main

if __name__ == "__main__":
    main()
