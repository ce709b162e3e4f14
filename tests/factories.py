"""Factories write rows directly, for arranging a test. What a test exercises goes through services."""

from __future__ import annotations

from datetime import date

import factory
from django.contrib.auth import get_user_model

from govmatrix.matrix.models import Account
from govmatrix.org.models import Membership, Person, Unit

PASSWORD = "govmatrix-test-pass"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create: bool, extracted: str | None, **kwargs: object) -> None:
        self.set_password(extracted or PASSWORD)
        if create:
            self.save(update_fields=["password"])


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"unit{n:03d}")
    name = factory.Sequence(lambda n: f"单位{n}")
    kind = "department"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"人员{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    role = "operator"
    staffing = "dedicated"
    started_on = date(2025, 1, 1)


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    unit = factory.SubFactory(UnitFactory)
    platform = "local"
    handle = factory.Sequence(lambda n: f"account_{n:04d}")
    display_name = factory.Sequence(lambda n: f"账号{n}")
    kind = "sub"
    status = "active"
    activated_on = date(2025, 1, 1)
