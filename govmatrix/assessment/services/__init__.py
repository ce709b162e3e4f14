"""Every write of the assessment app (see the modules; each write records an audit event)."""
