"""``python -m careerdesk``."""

import sys

from careerdesk.app import main

sys.exit(main())
