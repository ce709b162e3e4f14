"""Reads of the assessment app, already scoped to what the user may see."""
