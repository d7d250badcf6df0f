"""/api/v1/admin/retention."""
