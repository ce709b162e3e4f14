"""Every write of guidance and training (each records an audit event)."""
