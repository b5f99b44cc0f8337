"""The command line: its commands built from the resources, and what it prints."""
