"""The 许昌市社会工作行业协会 portal: the project package and its shared apps."""

from .celery import app as celery_app

__all__ = ["celery_app"]
