"""Excel exchange with headquarters: one declarative format (``format.py``) drives export, import and templates."""
