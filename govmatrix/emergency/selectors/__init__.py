"""Reads of the emergency app, already scoped to what the user may see."""
