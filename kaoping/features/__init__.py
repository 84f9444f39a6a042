"""Features built on extracted documents: comparing notices (diff) and the multi-year dataset (ingest)."""
