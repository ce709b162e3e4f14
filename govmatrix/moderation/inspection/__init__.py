"""Content inspection's checks, free of the database: typos, links, and a post's problems by rule."""
