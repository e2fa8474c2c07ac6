"""``python -m debiteuren.demo [MAP]``: regenerate the demo register and the empty register."""

from . import main

if __name__ == "__main__":
    raise SystemExit(main())
