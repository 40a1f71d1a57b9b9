"""Scoring and writing: pandas frames from stored findings, rendered with jinja2 templates."""
