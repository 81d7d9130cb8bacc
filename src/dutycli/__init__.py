"""dutycli: query the duty lists Chinese subdistricts publish (基本、配合、收回履职事项清单)."""

__version__ = "0.2.0"
