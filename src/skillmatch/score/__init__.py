"""Scoring: skills x job -> :class:`~skillmatch.models.MatchReport`.

Job reading, CV facts (degrees, years), credit per requirement, checks and keyword-gaming signs.
"""
