"""Metric providers: the registry (for every app) and the providers of the assessment app."""

from govmatrix.assessment.providers.registry import (
    AccountInfo,
    Evidence,
    MetricContext,
    MetricProvider,
    ProviderFailed,
    Value,
    Values,
    compute_metrics,
    events_between,
    evidence_for,
    local_midnight,
    metric_sources,
    register_provider,
    registered_providers,
    unregister_provider,
)

__all__ = [
    "AccountInfo",
    "Evidence",
    "MetricContext",
    "MetricProvider",
    "ProviderFailed",
    "Value",
    "Values",
    "compute_metrics",
    "events_between",
    "evidence_for",
    "local_midnight",
    "metric_sources",
    "register_provider",
    "registered_providers",
    "unregister_provider",
]
