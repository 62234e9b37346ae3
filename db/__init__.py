"""Branch Desk's data layer: storage, schema, domain rules, workbook exchange and reports. No Qt here, ever.

Use it as ``from db import store, members`` and call the module functions with keyword arguments; they return the
frozen records of ``db.records``.
"""

__version__ = "0.1.0"
