"""A report used only by the tests: it waits in ``build`` until a flag file exists, so a
test can kill the worker that is building it. Registered in a worker process through
``REPORTS_EXTRA_MODULES=tests.reports.slow_report``."""

import time
from pathlib import Path

from django import forms

from association.accounts.choices import Role
from association.reports.catalogue import Report, register
from association.reports.documents import Document


class SlowForm(forms.Form):
    flag = forms.CharField(label="标志文件")
    started = forms.CharField(label="开始标记目录")


@register
class SlowReport(Report):
    slug = "test-slow"
    title = "测试用慢速报表"
    roles = (Role.STAFF,)
    form_class = SlowForm

    def build(self, params, progress):
        folder = Path(params["started"])
        folder.mkdir(parents=True, exist_ok=True)
        # one marker file per build attempt, so the test can count the attempts
        (folder / f"attempt-{time.monotonic_ns()}").touch()
        progress(10)
        flag = Path(params["flag"])
        deadline = time.monotonic() + 120
        while not flag.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        progress(90)
        document = Document(title=self.title)
        document.section("结果").figure("完成", 1)
        return document
