import sys

from kaoping.cli import main

sys.exit(main())
