"""Branch Desk desktop: dialogs."""
