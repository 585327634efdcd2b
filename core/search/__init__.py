"""Full-text search: text analysis, index backends."""
