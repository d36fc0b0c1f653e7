"""Rendering: results -> table, Markdown, HTML and JSON text."""
