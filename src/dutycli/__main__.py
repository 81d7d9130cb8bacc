from __future__ import annotations

from dutycli.cli import main

main()
