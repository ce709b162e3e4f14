"""What a training material may be: a document, a sheet, slides, a picture or plain text, at
most 20 MB, whose first bytes match its extension (a renamed executable is refused)."""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from govmatrix.core.errors import ValidationFailed

MAX_BYTES = 20 * 1024 * 1024
ZIP = b"PK\x03\x04"
OLE = b"\xd0\xcf\x11\xe0"
KINDS: dict[str, tuple[str, tuple[bytes, ...]]] = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (ZIP,)),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (ZIP,)),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", (ZIP,)),
    "doc": ("application/msword", (OLE,)),
    "xls": ("application/vnd.ms-excel", (OLE,)),
    "ppt": ("application/vnd.ms-powerpoint", (OLE,)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "txt": ("text/plain; charset=utf-8", ()),
}


def check_upload(upload: UploadedFile) -> str:
    """The content type to serve the file with, or ValidationFailed saying what is wrong."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in KINDS:
        raise ValidationFailed(
            {"file": _("不支持的文件类型；可上传：%(kinds)s") % {"kinds": "、".join(KINDS)}}
        )
    if not upload.size:
        raise ValidationFailed({"file": _("文件是空的。")})
    if upload.size > MAX_BYTES:
        raise ValidationFailed({"file": _("文件超过 20 MB。")})
    content_type, signatures = KINDS[extension]
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if signatures and not any(head.startswith(s) for s in signatures):
        raise ValidationFailed({"file": _("文件内容与扩展名 .%(ext)s 不符。") % {"ext": extension}})
    if extension == "txt":
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            # A multi-byte character cut at 2,048 bytes is fine; anything else is not text.
            try:
                head[:-3].decode("utf-8")
            except UnicodeDecodeError:
                raise ValidationFailed({"file": _("文本文件应为 UTF-8 编码。")}) from None
    return content_type
