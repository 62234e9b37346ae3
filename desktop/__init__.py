"""Branch Desk's desktop application (PySide6). Talks to the data layer ``db`` only; never imports sqlite_utils."""
