"""Readers: derivations people wrote (LaTeX, Markdown, text) and derive's own JSON."""
