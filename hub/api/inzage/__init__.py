"""/api/v1/inzage."""
