from __future__ import annotations

from dutycli.main import main

main()
