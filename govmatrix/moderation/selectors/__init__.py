"""Every read of the moderation app, already scoped to what the user may see."""
