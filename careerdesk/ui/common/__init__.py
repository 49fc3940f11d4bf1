"""Widgets every feature uses the same way (the one date field, ...)."""
