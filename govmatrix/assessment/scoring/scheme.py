"""A scoring scheme as data: indicators, weights, normalisation, veto items, and their rules.

`Scheme.from_dict()` is the only way in from outside: it checks everything and either returns
a complete, immutable scheme or raises `SchemeError` naming every problem at once (field path →
message). Nothing is half-applied. `Scheme.to_dict()` gives the canonical form back (defaults
filled in, numbers as floats), and `Scheme.content_hash` is the SHA-256 of that canonical JSON,
so two schemes with the same content have the same hash whatever the input spelling was.

How the numbers combine (see README.md for the full rules):

    raw_i        = combine(metric values)              single / sum / mean / ratio
    transformed  = transform(raw_i)                     identity / ln(x+1) / sqrt
    normalised   = normalise(transformed, direction)    minmax / zscore / fixed_scale / ratio_to_target / none
    dimension_d  = Σ_i∈d  w_i · normalised_i            w_i sum to 1 inside each dimension
    total        = scale · Σ_d  W_d · dimension_d       W_d sum to 1
    then veto items may force the total to 0, cap it, or set it.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Final

from govmatrix.assessment.scoring.errors import SchemeError
from govmatrix.assessment.scoring.metrics import METRICS, MetricSpec

TRANSFORMS: Final = ("identity", "ln1p", "sqrt")
NORMALISATIONS: Final = ("minmax", "zscore", "fixed_scale", "ratio_to_target", "none")
COMBINES: Final = ("single", "sum", "mean", "ratio")
DIRECTIONS: Final = ("higher", "lower")
VETO_KINDS: Final = ("zero", "cap", "set")
MISSING_POLICIES: Final = ("reweight", "worst", "no_score")
UNIT_METHODS: Final = ("mean", "median", "max", "min", "sum")
ON_CONSTANT: Final = ("mid", "full", "zero")
OPERATORS: Final = (">=", "<=", "==", "!=", ">", "<")

WEIGHT_TOLERANCE: Final = 1e-6

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_RULE = re.compile(
    r"^\s*(?P<metric>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<op>>=|<=|==|!=|>|<)\s*"
    r"(?P<value>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?|true|false)\s*$",
    re.ASCII,
)


@dataclass(frozen=True)
class Normalisation:
    """How a transformed value becomes comparable. Only the fields of `method` are used.

    minmax           (x − min) / (max − min) over the accounts with data; `on_constant` when
                     every account has the same value: mid → 0.5, full → 1, zero → 0.
    zscore           (x − mean) / std (population std) over the accounts with data; 0 when the
                     std is 0; optionally clipped to ±`clip`.
    fixed_scale      (clip(x, min, max) − min) / (max − min): a fixed, published scale.
    ratio_to_target  x / target, limited to [0, cap] (lower is better: target / x).
    none             the transformed value itself (GSDATA-style indices, given dimension scores).
    "lower" direction mirrors the result: 1 − v for the bounded methods, −z for zscore.
    """

    method: str
    min: float | None = None
    max: float | None = None
    target: float | None = None
    cap: float | None = None
    clip: float | None = None
    on_constant: str | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"method": self.method}
        if self.method == "minmax":
            data["on_constant"] = self.on_constant
        elif self.method == "zscore":
            data["clip"] = self.clip
        elif self.method == "fixed_scale":
            data["min"] = self.min
            data["max"] = self.max
        elif self.method == "ratio_to_target":
            data["target"] = self.target
            data["cap"] = self.cap
        return data


@dataclass(frozen=True)
class Dimension:
    key: str
    label_zh: str
    label_en: str
    weight: float
    weight_range: tuple[float, float] | None = None
    note: str = ""


@dataclass(frozen=True)
class Indicator:
    key: str
    label_zh: str
    label_en: str
    dimension: str
    metrics: tuple[str, ...]
    combine: str
    transform: str
    normalisation: Normalisation
    direction: str
    weight: float
    weight_range: tuple[float, float] | None = None
    note: str = ""


@dataclass(frozen=True)
class VetoRule:
    """`<metric> <op> <number>`, e.g. `days_since_last_post >= 14`; true/false mean 1/0."""

    metric: str
    op: str
    value: float

    def __str__(self) -> str:
        return f"{self.metric} {self.op} {_number_text(self.value)}"

    def holds(self, x: float) -> bool:
        return _compare(x, self.op, self.value)


@dataclass(frozen=True)
class VetoAction:
    """What a hit does to the total: zero → 0; cap → min(total, value); set → value."""

    kind: str
    value: float | None = None

    def apply(self, total: float) -> float:
        if self.kind == "zero":
            return 0.0
        assert self.value is not None
        if self.kind == "set":
            return self.value
        return total if math.isnan(total) else min(total, self.value)

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value}


@dataclass(frozen=True)
class VetoItem:
    key: str
    label_zh: str
    label_en: str
    rule: VetoRule
    action: VetoAction | None = None
    note: str = ""


@dataclass(frozen=True)
class MissingRule:
    """What "no data" does to an account's score.

    reweight  the missing indicators are left out and the remaining weights of the dimension
              are scaled back up to 1; a dimension with no data at all is left out the same way
              at the dimension level. If the share of the scheme's weight backed by data is
              below `min_coverage`, the account gets no total.
    worst     the missing indicator counts as the worst normalised value (min(0, lowest value
              observed)); it is still reported as missing.
    no_score  any missing indicator (weight > 0) leaves the account without a total.
    """

    policy: str = "reweight"
    min_coverage: float = 0.0


@dataclass(frozen=True)
class RankingRule:
    """Competition ranking ("1, 2, 2, 4") on the total rounded to `precision` decimals.

    With `vetoed_last`, every vetoed account ranks after every account without a veto.
    """

    precision: int | None = 2
    vetoed_last: bool = True


@dataclass(frozen=True)
class Scheme:
    name: str
    version: str
    title_zh: str
    title_en: str
    scale: float
    dimensions: tuple[Dimension, ...]
    indicators: tuple[Indicator, ...]
    vetoes: tuple[VetoItem, ...] = ()
    veto_action: VetoAction = VetoAction("zero")
    missing: MissingRule = MissingRule()
    ranking: RankingRule = RankingRule()
    unit_aggregation: str = "mean"
    description: str = ""
    notes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    # -- in and out -----------------------------------------------------------------------

    @classmethod
    def from_dict(
        cls, data: Mapping[str, Any], *, metrics: Mapping[str, MetricSpec] = METRICS
    ) -> Scheme:
        """Check `data` completely; return the scheme or raise SchemeError listing every problem."""
        return _Parser(metrics).scheme(data)

    @classmethod
    def from_json(cls, text: str, *, metrics: Mapping[str, MetricSpec] = METRICS) -> Scheme:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise SchemeError({"": f"不是有效的 JSON：{exc}"}) from exc
        return cls.from_dict(data, metrics=metrics)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "title_zh": self.title_zh,
            "title_en": self.title_en,
            "description": self.description,
            "scale": self.scale,
            "dimensions": [
                {
                    "key": d.key,
                    "label_zh": d.label_zh,
                    "label_en": d.label_en,
                    "weight": d.weight,
                    "weight_range": list(d.weight_range) if d.weight_range else None,
                    "note": d.note,
                }
                for d in self.dimensions
            ],
            "indicators": [
                {
                    "key": i.key,
                    "label_zh": i.label_zh,
                    "label_en": i.label_en,
                    "dimension": i.dimension,
                    "metrics": list(i.metrics),
                    "combine": i.combine,
                    "transform": i.transform,
                    "normalisation": i.normalisation.to_dict(),
                    "direction": i.direction,
                    "weight": i.weight,
                    "weight_range": list(i.weight_range) if i.weight_range else None,
                    "note": i.note,
                }
                for i in self.indicators
            ],
            "vetoes": [
                {
                    "key": v.key,
                    "label_zh": v.label_zh,
                    "label_en": v.label_en,
                    "rule": str(v.rule),
                    "action": v.action.to_dict() if v.action else None,
                    "note": v.note,
                }
                for v in self.vetoes
            ],
            "veto_action": self.veto_action.to_dict(),
            "missing": {"policy": self.missing.policy, "min_coverage": self.missing.min_coverage},
            "ranking": {
                "precision": self.ranking.precision,
                "vetoed_last": self.ranking.vetoed_last,
            },
            "unit_aggregation": self.unit_aggregation,
            "notes": list(self.notes),
            "sources": list(self.sources),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: the identity of this exact scheme content."""
        canonical = json.dumps(
            self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
        )
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    # -- lookups --------------------------------------------------------------------------

    def dimension(self, key: str) -> Dimension:
        for dim in self.dimensions:
            if dim.key == key:
                return dim
        raise KeyError(key)

    def indicator(self, key: str) -> Indicator:
        for ind in self.indicators:
            if ind.key == key:
                return ind
        raise KeyError(key)

    @property
    def metric_names(self) -> tuple[str, ...]:
        """Every metric the scheme reads (indicators first, then veto rules), once each."""
        names: dict[str, None] = {}
        for ind in self.indicators:
            names.update(dict.fromkeys(ind.metrics))
        for veto in self.vetoes:
            names[veto.rule.metric] = None
        return tuple(names)

    def with_dimension_weights(self, weights: Mapping[str, float]) -> Scheme:
        """The same scheme with other dimension weights (validated; used for sensitivity runs)."""
        data = self.to_dict()
        for dim in data["dimensions"]:
            if dim["key"] in weights:
                dim["weight"] = weights[dim["key"]]
                dim["weight_range"] = None
        return Scheme.from_dict(data)


# -- helpers shared with the engine ---------------------------------------------------------


def parse_rule(text: str, *, metrics: Mapping[str, MetricSpec] = METRICS) -> VetoRule:
    """Parse `metric op number`; raise SchemeError for anything else or an unknown metric."""
    errors: dict[str, str] = {}
    rule = _parse_rule(text, "rule", metrics, errors)
    if rule is None:
        raise SchemeError(errors)
    return rule


def _parse_rule(
    text: Any, path: str, metrics: Mapping[str, MetricSpec], errors: dict[str, str]
) -> VetoRule | None:
    if not isinstance(text, str):
        errors[path] = "应为文本，例如 'days_since_last_post >= 14'"
        return None
    match = _RULE.match(text)
    if match is None:
        errors[path] = (
            f"无法解析规则 '{text}'：应为 '数据项 比较符 数值'，比较符为 "
            f"{' '.join(OPERATORS)}，例如 'days_since_last_post >= 14'"
        )
        return None
    metric = match["metric"]
    if metric not in metrics:
        errors[path] = _unknown_metric(metric, metrics)
        return None
    raw = match["value"]
    value = 1.0 if raw == "true" else 0.0 if raw == "false" else float(raw)
    return VetoRule(metric=metric, op=match["op"], value=value)


def _compare(x: float, op: str, value: float) -> bool:
    if op == ">=":
        return x >= value
    if op == "<=":
        return x <= value
    if op == ">":
        return x > value
    if op == "<":
        return x < value
    if op == "==":
        return x == value
    return x != value


def _number_text(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _unknown_metric(name: str, metrics: Mapping[str, MetricSpec]) -> str:
    close = difflib.get_close_matches(name, list(metrics), n=3)
    hint = f"；是否指 {', '.join(repr(c) for c in close)}？" if close else ""
    return f"未知的数据项 '{name}'（不在数据项目录中）{hint}"


def _choices(value: str, allowed: tuple[str, ...], what: str) -> str:
    return f"未知的{what} '{value}'；可选：{', '.join(allowed)}"


# -- the parser -----------------------------------------------------------------------------

_SCHEME_FIELDS = {
    "name": True, "version": True, "title_zh": True, "title_en": False, "description": False,
    "scale": False, "dimensions": True, "indicators": True, "vetoes": False,
    "veto_action": False, "missing": False, "ranking": False, "unit_aggregation": False,
    "notes": False, "sources": False,
}  # fmt: skip
_DIMENSION_FIELDS = {
    "key": True, "label_zh": True, "label_en": False, "weight": True, "weight_range": False,
    "note": False,
}  # fmt: skip
_INDICATOR_FIELDS = {
    "key": True, "label_zh": True, "label_en": False, "dimension": True, "metrics": False,
    "metric": False, "combine": False, "transform": False, "normalisation": True,
    "direction": False, "weight": True, "weight_range": False, "note": False,
}  # fmt: skip
_VETO_FIELDS = {
    "key": True, "label_zh": True, "label_en": False, "rule": True, "action": False,
    "note": False,
}  # fmt: skip
_NORMALISATION_FIELDS: dict[str, dict[str, bool]] = {
    "minmax": {"on_constant": False},
    "zscore": {"clip": False},
    "fixed_scale": {"min": True, "max": True},
    "ratio_to_target": {"target": True, "cap": False},
    "none": {},
}


class _Parser:
    """Reads a scheme dict, collecting every error (path → message) before failing."""

    def __init__(self, metrics: Mapping[str, MetricSpec]) -> None:
        self.metrics = metrics
        self.errors: dict[str, str] = {}

    def fail(self, path: str, message: str) -> None:
        if path in self.errors:
            self.errors[path] += "；" + message
        else:
            self.errors[path] = message

    # -- primitives ---------------------------------------------------------------------

    def fields(self, data: Any, path: str, spec: Mapping[str, bool]) -> dict[str, Any] | None:
        if not isinstance(data, Mapping):
            self.fail(path or "scheme", "应为对象（JSON object / dict）")
            return None
        for key in data:
            if key not in spec:
                close = difflib.get_close_matches(str(key), list(spec), n=1)
                hint = f"；是否指 '{close[0]}'？" if close else ""
                self.fail(_join(path, str(key)), f"未知字段{hint}")
        for key, required in spec.items():
            if required and key not in data:
                self.fail(_join(path, key), "缺少必填字段")
        return dict(data)

    def text(self, data: Mapping[str, Any], key: str, path: str, default: str = "") -> str:
        value = data.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, str):
            self.fail(_join(path, key), "应为文本")
            return default
        return value

    def ident(self, data: Mapping[str, Any], key: str, path: str) -> str:
        value = self.text(data, key, path)
        if key in data and isinstance(data[key], str) and not _NAME.fullmatch(value):
            self.fail(_join(path, key), f"'{value}' 不是有效标识：小写字母开头，只含 a-z、0-9、_")
        return value

    def number(
        self, value: Any, path: str, *, minimum: float | None = None, positive: bool = False
    ) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, "应为数字")
            return None
        number = float(value)
        if not math.isfinite(number):
            self.fail(path, "应为有限数字")
            return None
        if positive and number <= 0:
            self.fail(path, "应大于 0")
            return None
        if minimum is not None and number < minimum:
            self.fail(path, f"不能小于 {_number_text(minimum)}")
            return None
        return number

    def choice(
        self, data: Mapping[str, Any], key: str, path: str, allowed: tuple[str, ...],
        what: str, default: str,
    ) -> str:  # fmt: skip
        value = data.get(key, default)
        if value is None:
            value = default
        if not isinstance(value, str) or value not in allowed:
            self.fail(_join(path, key), _choices(str(value), allowed, what))
            return default
        return value

    def weight_range(
        self, value: Any, path: str, weight: float | None
    ) -> tuple[float, float] | None:
        if value is None:
            return None
        if not isinstance(value, list | tuple) or len(value) != 2:
            self.fail(path, "应为 [下限, 上限]")
            return None
        low = self.number(value[0], path, minimum=0)
        high = self.number(value[1], path, minimum=0)
        if low is None or high is None:
            return None
        if not low <= high <= 1:
            self.fail(path, "应满足 0 ≤ 下限 ≤ 上限 ≤ 1")
            return None
        if weight is not None and not low - WEIGHT_TOLERANCE <= weight <= high + WEIGHT_TOLERANCE:
            self.fail(path, f"权重 {_number_text(weight)} 不在区间 [{low:g}, {high:g}] 内")
        return (low, high)

    def string_list(self, data: Mapping[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = data.get(key) or []
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            self.fail(_join(path, key), "应为文本列表")
            return ()
        return tuple(value)

    # -- parts --------------------------------------------------------------------------

    def scheme(self, raw: Mapping[str, Any]) -> Scheme:
        data = self.fields(raw, "", _SCHEME_FIELDS)
        if data is None:
            raise SchemeError(self.errors)
        name = self.ident(data, "name", "")
        version = self.text(data, "version", "")
        if "version" in data and not version.strip():
            self.fail("version", "不能为空")
        title_zh = self.text(data, "title_zh", "")
        title_en = self.text(data, "title_en", "")
        description = self.text(data, "description", "")
        scale = self.number(data.get("scale", 100.0), "scale", positive=True)

        dimensions = self.dimensions(data.get("dimensions"))
        indicators = self.indicators(data.get("indicators"), dimensions)
        vetoes = self.vetoes(data.get("vetoes") or [])
        veto_action = self.veto_action(data.get("veto_action", {"kind": "zero"}), "veto_action")
        missing = self.missing(data.get("missing") or {})
        ranking = self.ranking(data.get("ranking") or {})
        unit_aggregation = self.choice(
            data, "unit_aggregation", "", UNIT_METHODS, "单位汇总方法", "mean"
        )
        notes = self.string_list(data, "notes", "")
        sources = self.string_list(data, "sources", "")

        if self.errors:
            raise SchemeError(self.errors)
        assert scale is not None and veto_action is not None
        return Scheme(
            name=name,
            version=version,
            title_zh=title_zh,
            title_en=title_en,
            description=description,
            scale=scale,
            dimensions=tuple(dimensions),
            indicators=tuple(indicators),
            vetoes=tuple(vetoes),
            veto_action=veto_action,
            missing=missing,
            ranking=ranking,
            unit_aggregation=unit_aggregation,
            notes=notes,
            sources=sources,
        )

    def dimensions(self, raw: Any) -> list[Dimension]:
        if not isinstance(raw, list) or not raw:
            if raw is not None:
                self.fail("dimensions", "应为非空列表")
            return []
        result: list[Dimension] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            path = f"dimensions[{index}]"
            data = self.fields(item, path, _DIMENSION_FIELDS)
            if data is None:
                continue
            key = self.ident(data, "key", path)
            if key in seen:
                self.fail(_join(path, "key"), f"维度 '{key}' 重复")
            seen.add(key)
            weight = self.number(data.get("weight"), _join(path, "weight"), minimum=0)
            weight_range = self.weight_range(
                data.get("weight_range"), _join(path, "weight_range"), weight
            )
            if weight is None:
                continue
            result.append(
                Dimension(
                    key=key,
                    label_zh=self.text(data, "label_zh", path),
                    label_en=self.text(data, "label_en", path),
                    weight=weight,
                    weight_range=weight_range,
                    note=self.text(data, "note", path),
                )
            )
        if len(result) == len(raw):
            total = sum(d.weight for d in result)
            if abs(total - 1.0) > WEIGHT_TOLERANCE:
                self.fail("dimensions", f"维度权重之和应为 1，实际为 {total:.6g}")
        return result

    def indicators(self, raw: Any, dimensions: list[Dimension]) -> list[Indicator]:
        if not isinstance(raw, list) or not raw:
            if raw is not None:
                self.fail("indicators", "应为非空列表")
            return []
        dimension_keys = {d.key for d in dimensions}
        result: list[Indicator] = []
        seen: set[str] = set()
        complete = True
        for index, item in enumerate(raw):
            path = f"indicators[{index}]"
            indicator = self.indicator(item, path, dimension_keys)
            if indicator is None:
                complete = False
                continue
            if indicator.key in seen:
                self.fail(_join(path, "key"), f"指标 '{indicator.key}' 重复")
            seen.add(indicator.key)
            result.append(indicator)
        if complete and len(dimensions) == len(dimension_keys):
            for dim in dimensions:
                members = [i for i in result if i.dimension == dim.key]
                if not members:
                    self.fail("indicators", f"维度 '{dim.key}' 没有任何指标")
                    continue
                total = sum(i.weight for i in members)
                if abs(total - 1.0) > WEIGHT_TOLERANCE:
                    self.fail(
                        "indicators",
                        f"维度 '{dim.key}' 内指标权重之和应为 1，实际为 {total:.6g}",
                    )
        return result

    def indicator(self, item: Any, path: str, dimension_keys: set[str]) -> Indicator | None:
        data = self.fields(item, path, _INDICATOR_FIELDS)
        if data is None:
            return None
        before = len(self.errors)
        key = self.ident(data, "key", path)
        dimension = self.text(data, "dimension", path)
        if "dimension" in data and dimension_keys and dimension not in dimension_keys:
            self.fail(_join(path, "dimension"), f"未知维度 '{dimension}'")

        metrics = self.indicator_metrics(data, path)
        combine = self.choice(
            data, "combine", path, COMBINES, "组合方式", "single" if len(metrics) <= 1 else "sum"
        )
        arity = {"single": (1, 1), "ratio": (2, 2), "sum": (2, 99), "mean": (2, 99)}[combine]
        if metrics and not arity[0] <= len(metrics) <= arity[1]:
            need = {"single": "恰好 1 个", "ratio": "恰好 2 个（分子, 分母）"}.get(
                combine, "至少 2 个"
            )
            self.fail(_join(path, "metrics"), f"组合方式 '{combine}' 需要{need}数据项")
        transform = self.choice(data, "transform", path, TRANSFORMS, "变换", "identity")
        direction = self.choice(data, "direction", path, DIRECTIONS, "方向", "higher")
        normalisation = self.normalisation(data.get("normalisation"), _join(path, "normalisation"))
        if normalisation is not None and normalisation.method == "none" and direction == "lower":
            self.fail(
                _join(path, "direction"),
                "标准化方法 'none' 不能反向；'lower' 请用 minmax、zscore、fixed_scale 或 "
                "ratio_to_target",
            )
        weight = self.number(data.get("weight"), _join(path, "weight"), minimum=0)
        weight_range = self.weight_range(
            data.get("weight_range"), _join(path, "weight_range"), weight
        )
        if len(self.errors) > before or normalisation is None or weight is None:
            return None
        return Indicator(
            key=key,
            label_zh=self.text(data, "label_zh", path),
            label_en=self.text(data, "label_en", path),
            dimension=dimension,
            metrics=metrics,
            combine=combine,
            transform=transform,
            normalisation=normalisation,
            direction=direction,
            weight=weight,
            weight_range=weight_range,
            note=self.text(data, "note", path),
        )

    def indicator_metrics(self, data: Mapping[str, Any], path: str) -> tuple[str, ...]:
        if "metric" in data and "metrics" in data:
            self.fail(_join(path, "metric"), "'metric' 与 'metrics' 只能给一个")
            return ()
        if "metric" in data:
            value: Any = [data["metric"]]
            where = _join(path, "metric")
        elif "metrics" in data:
            value = data["metrics"]
            where = _join(path, "metrics")
        else:
            self.fail(_join(path, "metrics"), "缺少必填字段（数据项名称列表）")
            return ()
        if not isinstance(value, list | tuple) or not value:
            self.fail(where, "应为非空的数据项名称列表")
            return ()
        names: list[str] = []
        for name in value:
            if not isinstance(name, str):
                self.fail(where, "数据项名称应为文本")
            elif name not in self.metrics:
                self.fail(where, _unknown_metric(name, self.metrics))
            else:
                names.append(name)
        if len(set(names)) != len(names):
            self.fail(where, "数据项重复")
        return tuple(names)

    def normalisation(self, raw: Any, path: str) -> Normalisation | None:
        if isinstance(raw, str):
            raw = {"method": raw}
        if not isinstance(raw, Mapping) or "method" not in raw:
            self.fail(path, "应为 {'method': …} 或方法名")
            return None
        method = raw["method"]
        if method not in NORMALISATIONS:
            self.fail(_join(path, "method"), _choices(str(method), NORMALISATIONS, "标准化方法"))
            return None
        spec = {"method": True, **_NORMALISATION_FIELDS[method]}
        data = self.fields(raw, path, spec)
        if data is None:
            return None
        before = len(self.errors)
        if method == "minmax":
            on_constant = self.choice(data, "on_constant", path, ON_CONSTANT, "常数处理", "mid")
            result = Normalisation(method, on_constant=on_constant)
        elif method == "zscore":
            clip = data.get("clip")
            clip_value = (
                None if clip is None else self.number(clip, _join(path, "clip"), positive=True)
            )
            result = Normalisation(method, clip=clip_value)
        elif method == "fixed_scale":
            low = self.number(data.get("min"), _join(path, "min"))
            high = self.number(data.get("max"), _join(path, "max"))
            if low is not None and high is not None and not high > low:
                self.fail(path, "fixed_scale 需要 max > min")
            result = Normalisation(method, min=low, max=high)
        elif method == "ratio_to_target":
            target = self.number(data.get("target"), _join(path, "target"), positive=True)
            cap = self.number(data.get("cap", 1.0), _join(path, "cap"), positive=True)
            result = Normalisation(method, target=target, cap=cap)
        else:
            result = Normalisation(method)
        return None if len(self.errors) > before else result

    def vetoes(self, raw: Any) -> list[VetoItem]:
        if not isinstance(raw, list):
            self.fail("vetoes", "应为列表")
            return []
        result: list[VetoItem] = []
        seen: set[str] = set()
        for index, item in enumerate(raw):
            path = f"vetoes[{index}]"
            data = self.fields(item, path, _VETO_FIELDS)
            if data is None:
                continue
            key = self.ident(data, "key", path)
            if key in seen:
                self.fail(_join(path, "key"), f"否决项 '{key}' 重复")
            seen.add(key)
            rule = (
                _parse_rule(data["rule"], _join(path, "rule"), self.metrics, self.errors)
                if "rule" in data
                else None
            )
            action_raw = data.get("action")
            action = (
                None if action_raw is None else self.veto_action(action_raw, _join(path, "action"))
            )
            if rule is None or (action_raw is not None and action is None):
                continue
            result.append(
                VetoItem(
                    key=key,
                    label_zh=self.text(data, "label_zh", path),
                    label_en=self.text(data, "label_en", path),
                    rule=rule,
                    action=action,
                    note=self.text(data, "note", path),
                )
            )
        return result

    def veto_action(self, raw: Any, path: str) -> VetoAction | None:
        if isinstance(raw, str):
            raw = {"kind": raw}
        data = self.fields(raw, path, {"kind": True, "value": False})
        if data is None:
            return None
        kind = self.choice(data, "kind", path, VETO_KINDS, "否决处理方式", "zero")
        if kind == "zero":
            if data.get("value") not in (None, 0, 0.0):
                self.fail(_join(path, "value"), "'zero' 不带数值")
            return VetoAction("zero")
        if "value" not in data or data["value"] is None:
            self.fail(_join(path, "value"), f"'{kind}' 需要一个数值（例如 59）")
            return None
        value = self.number(data["value"], _join(path, "value"), minimum=0)
        return None if value is None else VetoAction(kind, value)

    def missing(self, raw: Any) -> MissingRule:
        data = self.fields(raw, "missing", {"policy": False, "min_coverage": False})
        if data is None:
            return MissingRule()
        policy = self.choice(
            data, "policy", "missing", MISSING_POLICIES, "缺失数据规则", "reweight"
        )
        coverage = self.number(data.get("min_coverage", 0.0), "missing.min_coverage", minimum=0)
        if coverage is not None and coverage > 1:
            self.fail("missing.min_coverage", "应在 0 到 1 之间")
            coverage = None
        return MissingRule(policy=policy, min_coverage=coverage if coverage is not None else 0.0)

    def ranking(self, raw: Any) -> RankingRule:
        data = self.fields(raw, "ranking", {"precision": False, "vetoed_last": False})
        if data is None:
            return RankingRule()
        precision = data.get("precision", 2)
        if precision is not None and (
            isinstance(precision, bool)
            or not isinstance(precision, int)
            or not 0 <= precision <= 12
        ):
            self.fail("ranking.precision", "应为 0 到 12 的整数，或 null（不取整）")
            precision = 2
        vetoed_last = data.get("vetoed_last", True)
        if not isinstance(vetoed_last, bool):
            self.fail("ranking.vetoed_last", "应为 true 或 false")
            vetoed_last = True
        return RankingRule(precision=precision, vetoed_last=vetoed_last)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
