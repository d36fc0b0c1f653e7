"""``python -m skillmatch``: the same as the ``skillmatch`` command."""

from skillmatch.cli import main

if __name__ == "__main__":
    main()
