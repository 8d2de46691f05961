"""The store: SQL tables and migrations, the validated submission, the data API and the computed 共性 measures."""
