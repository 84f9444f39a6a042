"""The ``kaoping ingest`` dataset: inbox walking, worker processes, the per-notice commit store, versions."""
