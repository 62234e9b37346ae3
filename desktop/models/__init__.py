"""Branch Desk desktop: models."""
