"""`make bench`: measurements recorded in docs/performance.md (never asserted by timing in tests)."""
