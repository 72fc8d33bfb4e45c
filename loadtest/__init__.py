"""Load tests and benchmark drivers (DESIGN section 11)."""
