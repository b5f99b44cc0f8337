"""Each resource end to end over loopback HTTP, and the contract every document kind keeps."""
