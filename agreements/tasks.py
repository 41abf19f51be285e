"""Thin Celery tasks for agreements: they take ids and call the export service."""

from celery import shared_task

from agreements import exports


@shared_task
def build_summary_export(export_id: str) -> None:
    exports.build_summary_export(export_id)


@shared_task
def delete_expired_summary_exports() -> int:
    return exports.delete_expired_exports()


@shared_task
def fail_abandoned_summary_exports() -> int:
    return exports.fail_abandoned_exports()
