"""The two documents of a harmful-comment case (R5.3), generated from the case as docx:

* the unit's **written application** (书面申请) to the management office;
* the office's **letter** (报请函) to the city propaganda department, copied to the higher
  authorities.

Each has words people may edit before it is filed (`APPLICATION_FIELDS`, `LETTER_FIELDS`,
kept on the case as a draft) and facts they may not: the frozen evidence (comment, author,
link, time, category, reason as flagged, SHA-256), printed from the case's columns.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils import timezone

from govmatrix.moderation.documents.layout import OfficialDocument, chinese_date
from govmatrix.moderation.models import CATEGORY_LABELS, CaseDocument, HarmCase

APPLICATION_FIELDS = (
    "number",
    "title",
    "addressee",
    "body",
    "reason",
    "request",
    "contact",
    "phone",
)
LETTER_FIELDS = ("number", "title", "addressee", "copy_to", "body", "request", "contact", "phone")


def _when(moment: Any) -> str:
    local = timezone.localtime(moment)
    return f"{chinese_date(local.date())} {local:%H:%M}"


def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


def evidence_rows(case: HarmCase) -> list[tuple[str, str]]:
    return [
        ("账号", f"{case.account.display_name}（{case.account.get_platform_display()}）"),
        ("评论内容", case.comment_text),
        ("作者", f"{case.author_name}（编号 {case.author_id}）"),
        ("链接", case.comment_url or "—"),
        ("评论时间", _when(case.comment_at)),
        ("类别", category_label(case.category)),
        ("发现方式", f"{case.get_flag_source_display()}，{_when(case.flagged_at)}"),
        ("证据 SHA-256", case.evidence_sha256),
    ]


@dataclass(frozen=True)
class Issuers:
    office: str
    unit: str


def _year_count(kind: str, *, year: int, unit_id: int | None = None) -> int:
    rows = CaseDocument.objects.filter(kind=kind, version=1, created_at__year=year)
    if unit_id is not None:
        rows = rows.filter(case__unit_id=unit_id)
    return rows.count()


def application_defaults(
    case: HarmCase, issuers: Issuers, *, contact: str = "", phone: str = ""
) -> dict[str, str]:
    year = timezone.localdate().year
    n = _year_count("application", year=year, unit_id=case.unit_id) + 1
    return {
        "number": f"{case.unit.name}申〔{year}〕{n}号",
        "title": f"关于协调删除“{case.account.display_name}”有害跟帖的申请",
        "addressee": issuers.office,
        "body": (
            f"{_when(case.comment_at)}，我单位政务微博“{case.account.display_name}”收到网民"
            f"“{case.author_name}”的一条跟帖，内容涉嫌{category_label(case.category)}。"
            "我单位已第一时间上报管理办公室，现将有关情况报告如下。"
        ),
        "reason": case.reason,
        "request": "恳请管理办公室报请市委宣传部及上级主管部门协调删除该跟帖，防止不良影响扩散。",
        "contact": contact,
        "phone": phone,
    }


def letter_defaults(
    case: HarmCase, issuers: Issuers, application: CaseDocument | None
) -> dict[str, str]:
    year = timezone.localdate().year
    n = _year_count("letter", year=year) + 1
    filed = (
        f"{case.unit.name}已于{_when(application.created_at)}提交书面申请（{application.number}）。"
        if application is not None
        else ""
    )
    return {
        "number": f"区政务微博办函〔{year}〕{n}号",
        "title": "关于提请协调删除政务微博有害跟帖的函",
        "addressee": "市委宣传部",
        "copy_to": "市委网信办、区委宣传部",
        "body": (
            f"{_when(case.comment_at)}，{case.unit.name}政务微博“{case.account.display_name}”"
            f"收到一条跟帖，经核查，该跟帖涉嫌{category_label(case.category)}。{filed}"
        ),
        "request": "为防止不良影响扩散，特提请贵部协调平台予以删除，并将处理结果反馈我办。",
        "contact": "",
        "phone": "",
    }


def clean_fields(values: dict[str, Any], names: tuple[str, ...]) -> dict[str, str]:
    return {name: str(values.get(name, "") or "").strip() for name in names}


def application_docx(case: HarmCase, fields: dict[str, str], *, day: date) -> bytes:
    doc = OfficialDocument()
    doc.masthead(case.unit.name, fields["number"])
    doc.title(fields["title"])
    doc.addressee(fields["addressee"])
    doc.text_block(fields["body"])
    doc.heading("一、跟帖情况")
    doc.facts(evidence_rows(case))
    doc.heading("二、申请理由")
    doc.text_block(fields["reason"])
    doc.heading("三、处置请求")
    doc.text_block(fields["request"])
    doc.contact(fields["contact"], fields["phone"])
    doc.signature(case.unit.name, day)
    return doc.to_bytes(title=fields["title"], author=case.unit.name)


def letter_docx(
    case: HarmCase,
    fields: dict[str, str],
    *,
    issuers: Issuers,
    application: CaseDocument | None,
    day: date,
) -> bytes:
    doc = OfficialDocument()
    doc.masthead(issuers.office, fields["number"])
    doc.title(fields["title"])
    doc.addressee(fields["addressee"])
    doc.text_block(fields["body"])
    doc.text_block(fields["request"])
    doc.text_block("特此函告。")
    doc.heading("附：有害跟帖证据")
    rows = evidence_rows(case)
    if application is not None:
        rows += [
            (
                "书面申请",
                f"{application.number}（{_when(application.created_at)}，第{application.version}版）",
            ),
            ("申请文件 SHA-256", application.sha256),
        ]
    doc.facts(rows)
    doc.contact(fields["contact"], fields["phone"])
    doc.signature(issuers.office, day)
    doc.colophon(fields["copy_to"], issuers.office, day)
    return doc.to_bytes(title=fields["title"], author=issuers.office)


def recipients_of(fields: dict[str, str]) -> list[str]:
    """主送 first, then every 抄送 (separated by 、 , ， ; ；)."""
    names = [fields.get("addressee", "").strip()]
    names += [n.strip() for n in re.split(r"[、,，;；\s]+", fields.get("copy_to", "")) if n.strip()]
    return [n for n in dict.fromkeys(names) if n]
