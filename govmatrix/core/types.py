from django.contrib.auth.models import AnonymousUser, User

# Whoever asks for a change: services decide from the actor's scope what it may do, so an
# anonymous visitor is a valid actor with no rights at all.
Actor = User | AnonymousUser


def as_user(actor: Actor) -> User | None:
    """The actor as a stored user, or None for an anonymous one."""
    return actor if isinstance(actor, User) else None
