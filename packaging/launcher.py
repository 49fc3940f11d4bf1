"""Entry script of the PyInstaller bundle: the same ``main()`` as the ``careerdesk`` command."""

import sys

from careerdesk.app import main

if __name__ == "__main__":
    sys.exit(main())
