"""``python -m evalnb.cli``: the same command as ``evalnb``."""

import sys

from evalnb.cli.main import main

sys.exit(main())
