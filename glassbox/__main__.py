"""``python -m glassbox``: the same as the ``glassbox`` command."""
import sys

from .cli import main

sys.exit(main())
