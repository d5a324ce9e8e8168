"""Build-time tools (not shipped with the integration)."""
