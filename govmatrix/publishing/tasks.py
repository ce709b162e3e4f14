"""Thin Huey tasks: they take ids and call services. Periodic ones are safe on many workers."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from govmatrix.publishing.services.publishing import post_publish, posts_publish_due
from govmatrix.publishing.services.reports import report_items_notify_overdue


@db_task()
def publish_post(post_id: int) -> None:
    """Started on commit when a post is approved for now, or retried."""
    post_publish(post_id=post_id)


@db_task()
def publish_due_posts_now() -> None:
    """Started on commit when the office resumes publishing."""
    posts_publish_due()


@db_periodic_task(crontab(minute="*"))
def publish_due_posts() -> None:
    posts_publish_due()


@db_periodic_task(crontab(minute="*"))
def notify_overdue_report_items() -> None:
    report_items_notify_overdue()
