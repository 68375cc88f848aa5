"""Placeholder: commands land here with their issue."""
