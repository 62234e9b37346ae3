"""``branchdesk`` / ``python -m desktop``: no sub-command starts the GUI, a sub-command runs the CLI (no Qt)."""

from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    from desktop import cli

    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main())
