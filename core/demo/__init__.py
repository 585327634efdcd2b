"""Demo and bulk-seed data generation."""
