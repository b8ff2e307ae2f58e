"""The classroom: accounts, one-time sign-in codes, passwords and server-side sessions for `trainer serve --classroom`."""
