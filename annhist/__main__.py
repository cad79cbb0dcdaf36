"""``python -m annhist`` is the ``annhist`` command."""

import sys

from annhist.cli import main

sys.exit(main())
