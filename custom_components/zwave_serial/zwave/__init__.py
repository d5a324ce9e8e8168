"""Embedded Z-Wave Serial API driver (no Home Assistant imports; relative imports only)."""
