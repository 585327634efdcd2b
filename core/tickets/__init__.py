"""Tickets: typed fields, categories and the service that creates them."""
