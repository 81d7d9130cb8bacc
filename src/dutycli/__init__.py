"""dutycli: query a subdistrict's list of cooperative duties (配合履职事项清单)."""

__version__ = "0.1.0"
