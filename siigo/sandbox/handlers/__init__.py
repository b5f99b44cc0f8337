"""Endpoint handlers of the sandbox, one module per API area."""
