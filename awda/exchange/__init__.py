"""Data exchange between ministries: imports, exports, record linkage and data quality."""
