"""Taxonomy: YAML -> :class:`~skillmatch.taxonomy.model.Taxonomy`.

The skill model, parsing and validation of the YAML files, and the start-up cache.
"""
