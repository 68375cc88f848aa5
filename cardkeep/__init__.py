"""cardkeep: a personal greeting-card manager."""

__version__ = "0.1.0"
