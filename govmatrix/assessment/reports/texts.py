"""The words of the quarterly notice, drafted from the result for the office to edit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone

from govmatrix.assessment.dates import chinese_date, quarter_title, working_days_after
from govmatrix.assessment.models import AssessmentRun, RunAccountResult, RunNotice, RunStatus

RECTIFY_WORKING_DAYS = 10


def issuer_default() -> str:
    return f"{settings.DISTRICT_NAME}政务微博管理办公室"


def number_default(issuer: str, year: int, *, exclude_run: int | None = None) -> str:
    issued = RunNotice.objects.filter(
        issued_on__year=year, run__status__in=[RunStatus.FROZEN, RunStatus.PUBLISHED]
    ).exclude(run_id=exclude_run)
    return f"{issuer}〔{year}〕{issued.count() + 1}号"


def labels(definition: dict[str, Any], part: str) -> dict[str, str]:
    return {item["key"]: item.get("label_zh", item["key"]) for item in definition.get(part, [])}


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def notice_defaults(run: AssessmentRun) -> dict[str, Any]:
    rows = list(RunAccountResult.objects.filter(run=run).order_by("position"))
    definition = run.scheme_version.definition
    veto_labels = labels(definition, "vetoes")
    dim_labels = labels(definition, "dimensions")
    today = timezone.localdate()
    issuer = issuer_default()
    scored = [r for r in rows if r.total is not None]
    passed = [r for r in scored if not r.vetoed and r.total is not None and r.total >= 60]
    vetoed = [r for r in rows if r.vetoed]
    unscored = [r for r in rows if r.total is None]
    average = sum(r.total or 0 for r in scored) / len(scored) if scored else None
    check = chinese_date(run.check_date) if run.check_date else ""
    summary = (
        f"{quarter_title(run.quarter)}，管理办公室按照《{run.scheme_version.title_zh}》"
        f"（第{run.scheme_version.number}版）对全区{len(rows)}个政务微博账号进行了考核，"
        f"数据截至{check}。{len(scored)}个账号取得得分，平均{_score(average)}分；"
        f"{len(passed)}个账号达到60分以上；{len(vetoed)}个账号触及单项否决项；"
        f"{len(unscored)}个账号因数据不足未计分。"
    )
    good = []
    means = {
        key: sum(values) / len(values)
        for key in dim_labels
        if (values := [r.dimensions[key] for r in scored if r.dimensions.get(key) is not None])
    }
    for row in [r for r in scored if not r.vetoed][:3]:
        # The dimension where the account stands furthest above the district's average.
        best = max(
            (k for k in means if row.dimensions.get(k) is not None),
            key=lambda k: (row.dimensions[k] or 0) - means[k],
            default=None,
        )
        strength = f"，{dim_labels.get(best, best)}表现突出" if best else ""
        good.append(f"{row.account_name}（{row.unit_name}）得{_score(row.total)}分，"
                    f"位列第{row.rank}名{strength}。")  # fmt: skip
    problems = [
        f"{r.account_name}（{r.unit_name}）：{'、'.join(veto_labels.get(k, k) for k in r.vetoes)}。"
        for r in vetoed
    ]
    low = [r for r in scored if not r.vetoed and (r.total or 0) < 60]
    if low:
        problems.append("得分低于60分：" + "、".join(f"{r.account_name}" for r in low) + "。")
    if unscored:
        problems.append(
            "数据不足、未能计分：" + "、".join(r.account_name for r in unscored[:20])
            + ("等。" if len(unscored) > 20 else "。")
        )  # fmt: skip
    due = working_days_after(today, RECTIFY_WORKING_DAYS)
    requirements = (
        f"请被通报的单位对照上述问题认真整改，于{chinese_date(due)}前"
        "将整改情况书面报送管理办公室。各单位要落实主要领导审核制度，保持账号日常更新，"
        "及时回应网民关切，按时转发“@区发布”权威信息。管理办公室将在下季度检查中核验整改情况。"
    )
    return {
        "number": number_default(issuer, today.year, exclude_run=run.pk),
        "issuer": issuer,
        "issued_on": today,
        "addressees": "各街镇、各部门：",
        "summary": summary,
        "good_practice": "\n".join(good) or "本季度暂无。",
        "problems": "\n".join(problems) or "本季度未发现突出问题。",
        "requirements": requirements,
        "copy_to": "区政府办公室，区政府新闻办。",
    }
