"""Reads of the inbox, already scoped to what the user may see."""
