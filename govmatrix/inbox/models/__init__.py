"""The inbox's tables: messages and what was decided about them, replies and the wording
library, the office's settings, the sync's record, routers, rebuttals and trend alerts."""

from govmatrix.inbox.models.messages import (
    DEFAULT_TOPICS,
    WORKING_STATES,
    Channel,
    LabelSource,
    Message,
    MessageKind,
    MessageNote,
    MessageState,
    MessageTopic,
    PlaceName,
    RoutedBy,
    RoutingLabel,
)
from govmatrix.inbox.models.office import (
    InboxSettings,
    Rebuttal,
    RouterModel,
    RouterTarget,
    SlaTarget,
    SyncState,
    TrendAlert,
    TrendDimension,
)
from govmatrix.inbox.models.replies import (
    APPROVED_REPLY_STATES,
    Reply,
    ReplyReview,
    ReplyState,
    ReviewDecision,
    Wording,
)

__all__ = [
    "APPROVED_REPLY_STATES",
    "DEFAULT_TOPICS",
    "WORKING_STATES",
    "Channel",
    "InboxSettings",
    "LabelSource",
    "Message",
    "MessageKind",
    "MessageNote",
    "MessageState",
    "MessageTopic",
    "PlaceName",
    "Rebuttal",
    "Reply",
    "ReplyReview",
    "ReplyState",
    "ReviewDecision",
    "RoutedBy",
    "RouterModel",
    "RouterTarget",
    "RoutingLabel",
    "SlaTarget",
    "SyncState",
    "TrendAlert",
    "TrendDimension",
    "Wording",
]
