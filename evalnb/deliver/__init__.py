"""A rendered report delivered: the publish sequence, the format registry, PDF, Word, Excel and mail."""
