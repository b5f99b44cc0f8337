"""The package's shape: what ships, the kinds table, the import direction."""
