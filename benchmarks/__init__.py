"""Performance benchmarks for nexus-tui; run ``python -m benchmarks --help``."""
