"""``python -m annhist`` is the ``annhist`` command."""

import sys

from annhist.cli.main import main

sys.exit(main())
