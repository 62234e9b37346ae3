"""Branch Desk desktop: widgets."""
