"""Service-level agreements: business calendar and due-time computation."""
