"""Every read of publishing, already scoped to the user: posts, report items, the office's
lists and settings, and the counts behind the calendar and the dashboard."""
