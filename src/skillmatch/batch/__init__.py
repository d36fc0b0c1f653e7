"""Batch: folders -> rankings: walking, worker runs, rows, output and resume."""
