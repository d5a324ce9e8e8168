"""Security room: crypto primitives, keys, DSK (published test vectors)."""
