"""Branch Desk's desktop application (PySide6). Talks to the data layer ``db`` only; never imports sqlite_utils."""

import time

# When the program's own code started (after the interpreter): the zero of the start-up budget the app prints
# with BRANCHDESK_QUIT_AFTER_MS (see desktop.app.run).
STARTED = time.perf_counter()
