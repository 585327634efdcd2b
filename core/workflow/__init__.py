"""Data-driven ticket workflows: specs that plugins declare, and the core's general workflow."""
