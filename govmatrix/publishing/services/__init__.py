"""Every write of publishing. One module per subject; all are re-exported here."""

from govmatrix.publishing.services.editing import post_create, post_update
from govmatrix.publishing.services.office import (
    content_rule_create,
    content_rule_update,
    leader_name_create,
    leader_name_update,
    publishing_pause,
    publishing_resume,
    publishing_settings_update,
    topic_create,
    topic_update,
    topics_ensure_defaults,
)
from govmatrix.publishing.services.posts import (
    POST_TRANSITIONS,
    post_approve,
    post_back_to_draft,
    post_copy,
    post_retry,
    post_return,
    post_submit,
    post_withdraw,
)
from govmatrix.publishing.services.publishing import (
    OUTCOME_HANDLER,
    post_publish,
    posts_publish_due,
)
from govmatrix.publishing.services.reports import (
    REPORT_TRANSITIONS,
    report_item_acknowledge,
    report_item_comment,
    report_item_propose_repost,
    report_item_request_correction,
    report_item_respond,
    report_items_notify_overdue,
)

__all__ = [
    "OUTCOME_HANDLER",
    "POST_TRANSITIONS",
    "REPORT_TRANSITIONS",
    "content_rule_create",
    "content_rule_update",
    "leader_name_create",
    "leader_name_update",
    "post_approve",
    "post_back_to_draft",
    "post_copy",
    "post_create",
    "post_publish",
    "post_retry",
    "post_return",
    "post_submit",
    "post_update",
    "post_withdraw",
    "posts_publish_due",
    "publishing_pause",
    "publishing_resume",
    "publishing_settings_update",
    "report_item_acknowledge",
    "report_item_comment",
    "report_item_propose_repost",
    "report_item_request_correction",
    "report_item_respond",
    "report_items_notify_overdue",
    "topic_create",
    "topic_update",
    "topics_ensure_defaults",
]
