"""`python -m golfkit ...` (and `torchrun -m golfkit ...`) run the CLI."""

import sys

from golfkit.cli import main

sys.exit(main())
