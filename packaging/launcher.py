"""Entry script of the frozen bundle: the same ``main`` as the ``branchdesk`` command."""

import sys

from desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
