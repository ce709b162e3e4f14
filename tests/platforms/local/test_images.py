"""Images travel with a post: from publishing's upload, through the outbox, to the public page."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import reverse
from PIL import Image

from govmatrix.core.errors import ValidationFailed
from govmatrix.platforms.base import MediaFile
from govmatrix.platforms.local.connector import LocalConnector
from govmatrix.platforms.local.models import LocalPostImage
from govmatrix.platforms.local.services import ImageUpload, post_delete, post_publish
from govmatrix.platforms.models import OutboxKind, OutboxState
from govmatrix.platforms.services import outbox_enqueue, outbox_execute
from tests.conftest import District
from tests.platforms.local.conftest import ctx, ref


def _png(colour: str = "red", size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_post_published_with_images_shows_them_on_its_public_page(
    district: District, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    post = LocalConnector().publish(
        ref(district.street01_account),
        "道路施工示意图",
        ctx("images-1"),
        media=[
            MediaFile("a.png", "image/png", _png()),
            MediaFile("b.png", "image/png", _png("blue")),
        ],
    )
    images = list(LocalPostImage.objects.filter(post_id=int(post.id)))
    assert [(i.position, i.width, i.height) for i in images] == [(1, 40, 30), (2, 40, 30)]
    page = Client().get(reverse("local:post", args=["sfq_street01", int(post.id)])).content.decode()
    assert page.count(reverse("local:image", args=[images[0].pk])) >= 1
    served = Client().get(reverse("local:image", args=[images[1].pk]))
    assert (
        served["Content-Type"] == "image/png"
        and b"".join(served.streaming_content) == images[1].file.open("rb").read()
    )


def test_the_same_key_with_images_stores_them_once(district: District, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    media = [MediaFile("a.png", "image/png", _png())]
    first = LocalConnector().publish(
        ref(district.street01_account), "一次", ctx("images-2"), media=media
    )
    again = LocalConnector().publish(
        ref(district.street01_account), "一次", ctx("images-2"), media=media
    )
    assert first.id == again.id
    assert LocalPostImage.objects.count() == 1


@pytest.mark.parametrize(
    ("content_type", "content"),
    [
        ("image/png", b"not an image"),
        ("application/pdf", b"%PDF-1.4"),
        ("image/png", b"x" * (5 * 1024 * 1024 + 1)),
    ],
)
def test_a_broken_or_foreign_file_is_refused_and_nothing_is_published(
    district: District,
    settings,
    tmp_path,
    content_type: str,
    content: bytes,  # type: ignore[no-untyped-def]
) -> None:
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationFailed):
        post_publish(
            account=district.street01_account,
            text="带坏图片",
            idempotency_key="images-bad",
            images=[ImageUpload(content_type=content_type, content=content)],
        )
    assert not LocalPostImage.objects.exists()


def test_a_deleted_posts_images_are_no_longer_served(
    district: District, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    post = post_publish(
        account=district.street01_account,
        text="将删除",
        idempotency_key="images-3",
        images=[ImageUpload(content_type="image/png", content=_png())],
    )
    image = post.images.get()
    post_delete(account=district.street01_account, post_id=post.pk)
    assert Client().get(reverse("local:image", args=[image.pk])).status_code == 404


def test_the_outbox_sends_the_stored_files_named_in_its_payload(
    district: District, settings, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    from django.db import transaction

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("publishing/1/photo.png", io.BytesIO(_png("green")))
    with transaction.atomic():
        operation = outbox_enqueue(
            account=district.street01_account,
            kind=OutboxKind.PUBLISH,
            payload={"text": "带图发布", "media": [{"name": name, "content_type": "image/png"}]},
            idempotency_key="outbox-images-1",
            run_at=None,
        )
    outbox_execute(operation_id=operation.pk)
    operation.refresh_from_db()
    assert operation.state == OutboxState.SUCCEEDED
    assert LocalPostImage.objects.get().width == 40
