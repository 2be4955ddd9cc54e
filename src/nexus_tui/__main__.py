import sys

from nexus_tui.cli import main

sys.exit(main())
