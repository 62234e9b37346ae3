"""Entry script of the frozen bundle: the same ``main`` as the ``branchdesk`` command."""

import sys

from desktop.__main__ import main

if __name__ == "__main__":
    # Chinese output must never crash the command line: a pipe or file on Windows would otherwise use the ANSI
    # code page (cp1252 on a Western system cannot encode 支部). UTF-8 with replacement works on any code page;
    # a real console is written as UTF-16 by Python whatever this says.
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    sys.exit(main())
