"""Kefu's bundled industry plugins; each is declared in setup.py under the "kefu.plugins" entry points."""
