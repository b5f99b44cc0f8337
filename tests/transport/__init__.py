"""The client's plumbing: authentication, the request loop, retries, timeouts, pagination, sharing, hostile servers."""
