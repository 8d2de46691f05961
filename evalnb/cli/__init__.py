"""The ``evalnb`` command: parser and subcommands."""
