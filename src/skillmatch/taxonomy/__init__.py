"""Taxonomy: YAML -> :class:`~skillmatch.taxonomy.load.Taxonomy`.

The skill model, parsing and validation of the YAML files, and the start-up cache.
"""
