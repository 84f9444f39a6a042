"""Pure functions that turn a raw document into records, run in one explicit ordered list."""
