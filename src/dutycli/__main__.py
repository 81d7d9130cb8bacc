from __future__ import annotations

from dutycli.cli.main import main

main()
