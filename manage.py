#!/usr/bin/env python
"""Django's command-line utility; `jianguan` (the console script) is the same thing."""
from jianguan.cli import main

if __name__ == "__main__":
    main()
