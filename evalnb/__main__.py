"""``python -m evalnb``: the same command as ``evalnb``."""

import sys

from evalnb.cli.main import main

sys.exit(main())
