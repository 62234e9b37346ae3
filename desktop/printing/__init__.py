"""Branch Desk desktop: printing."""
