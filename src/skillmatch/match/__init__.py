"""Matching: Document + Taxonomy -> skills with evidence.

Tokens, phrase and pattern matchers, acronyms, fuzzy matching and the context gates.
"""
