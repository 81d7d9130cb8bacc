"""Renderers: one per output format, each turning a command's result into text."""
