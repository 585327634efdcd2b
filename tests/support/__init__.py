"""Helpers that run real services (PostgreSQL, SMTP, Chromium) for the tests."""
