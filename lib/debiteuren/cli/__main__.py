"""``python -m debiteuren.cli``: the same command line as the ``debiteuren`` console script."""

import sys

from . import main

if __name__ == "__main__":  # importing the module (the package walk in tests) runs nothing
    sys.exit(main())
