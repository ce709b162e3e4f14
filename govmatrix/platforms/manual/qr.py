"""QR codes of the text an operator posts (scanned with the phone that runs the platform's app)."""

from __future__ import annotations

import base64
import io

import qrcode
from qrcode.exceptions import DataOverflowError


def qr_data_uri(content: str, *, box_size: int = 4) -> str | None:
    """A PNG data URI of `content` as a QR code, or None when it does not fit in one."""
    if not content:
        return None
    code = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_L, box_size=box_size, border=2
    )
    code.add_data(content.encode("utf-8"))
    try:
        code.make(fit=True)
    except (DataOverflowError, ValueError):
        return None
    buffer = io.BytesIO()
    code.make_image().save(buffer)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
