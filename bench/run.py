"""The benchmark suite: ``python bench/run.py --scale city|province`` (``make bench [SCALE=…]``).

Figures and ratios, never pass/fail. In order, each part optional with ``--only``:

- ``generate``: the dataset of the scale (bench/generate.py; skipped when it is there);
- ``pages``: every portal list and dashboard and the main admin changelists, one user,
  in-process (Django's test client, production settings): median time and queries;
- ``concurrent``: the same pages at 20 concurrent users against gunicorn on loopback (the
  Dockerfile's 3 workers and 60 s timeout), bounded in requests and time: p50, p95, req/s;
- ``capacity``: the admin lists and the busiest portal pages under an open load: requests
  arriving at a fixed rate (10 to 60 a second, Poisson), whether or not earlier ones have
  been answered; p50 and p95 at each rate, and the highest rate served with p95 < 300 ms;
- ``reports``: each report of the catalogue through ``manage.py run_report`` in a
  subprocess, xlsx and PDF: time and peak RSS (from ``wait4``), and above start-up;
- ``explain``: the plan of the navigation's dues check (finance/navigation.py
  ``_has_dues``), run on every page: does it scan all of ``members_dues``?
- ``foundation``: regions load and notifications (bench/bench_foundation.py).

Results are printed and written to docs/performance.md (the section of this scale is
replaced; the machine, the date and the load average stand beside each figure).
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _django import ROOT, bench_env, load, machine, now, setup

PERFORMANCE = ROOT / "docs" / "performance.md"
PARTS = ["generate", "pages", "concurrent", "capacity", "reports", "explain", "foundation"]

# Bounds of the concurrent run, per page: requests in all, and seconds.
BOUNDS = {"tiny": (20, 10), "city": (60, 20), "province": (60, 45)}
REPEAT = {"tiny": 2, "city": 9, "province": 9}  # timed requests per page, one user (median)
USERS = 20
WARM_UP = 20  # requests a page before the timed ones, at USERS concurrent users
# The open load: arrivals a second, and seconds at each rate (the requests are counted before
# the run: rate × seconds, at most 600); the p95 a rate must keep to count as served.
RATES = {"tiny": (5, 10), "city": (10, 20, 30, 40, 60), "province": (10, 20, 30, 40, 60)}
RATE_SECONDS = {"tiny": 3, "city": 8, "province": 8}
SERVED_P95 = 0.300

# The personas: the demo's accounts (association/accounts/demo.py).
PERSONAS = {
    "staff": "staff@demo.xcsw.org.cn",
    "admin": "admin@demo.xcsw.org.cn",
    "official": "official@demo.xcsw.org.cn",
    "orgadmin": "orgadmin@demo.xcsw.org.cn",
    "station": "station@demo.xcsw.org.cn",
}


@dataclass
class Page:
    label: str
    persona: str
    url: str  # may hold {station}, {report}, {membership}
    concurrent: bool = True
    # Measured under an open load too (``capacity``): the admin lists and the busiest pages.
    capacity: bool = False
    # Committed before each timed request, untimed: a change to the tables the page's kept
    # figures are counted from (association/changes.py), so that it computes them again.
    before_each: str = ""


# Statements that change no row, yet are a change of a topic's tables to its triggers. The
# dues' one changes a row: a payment recorded on the last dues record, or taken back if it
# was paid, since what a payment costs the next view is computing that member's standing
# again (it runs an even number of times, so the dataset is left as it was).
MEMBERS_CHANGE = (
    "UPDATE members_dues SET"
    " paid_on = CASE WHEN paid_on IS NULL THEN due_on END,"
    " receipt_number = CASE WHEN paid_on IS NULL THEN 'BENCH-' || id END"
    " WHERE id = (SELECT MAX(id) FROM members_dues)"
)
WORKERS_CHANGE = "UPDATE members_socialworker SET id = id WHERE id < 0"
STATIONS_CHANGE = "UPDATE stations_station SET id = id WHERE id < 0"
REPORTS_CHANGE = "UPDATE stations_servicereport SET id = id WHERE id < 0"


PAGES = [
    Page("home", "staff", "/"),
    Page("home", "official", "/"),
    Page("home", "station", "/"),
    Page("home", "orgadmin", "/"),
    Page("members overview", "staff", "/members/overview/"),
    Page(
        "members overview, after a dues change",
        "staff",
        "/members/overview/",
        False,
        before_each=MEMBERS_CHANGE,
    ),
    # The other part of the overview's figures: the workers by county, counted again
    # after a change to a worker, an organisation or a region.
    Page(
        "members overview, after a worker change",
        "staff",
        "/members/overview/",
        False,
        before_each=WORKERS_CHANGE,
    ),
    Page("memberships list", "staff", "/members/memberships/", capacity=True),
    Page("memberships list", "orgadmin", "/members/memberships/"),
    Page("membership detail", "staff", "/members/memberships/{membership}/", False),
    Page("stations list", "staff", "/stations/", capacity=True),
    Page("stations list", "station", "/stations/"),
    Page("station detail", "staff", "/stations/{station}/"),
    # The page a station worker opens most, on a phone: their own station.
    Page("station detail", "station", "/stations/{own_station}/", capacity=True),
    Page("station's reports", "staff", "/stations/{station}/reports/", False),
    Page("report detail", "staff", "/stations/reports/{report}/", False),
    Page("coverage dashboard", "staff", "/stations/dashboard/"),
    Page("coverage dashboard", "official", "/stations/dashboard/"),
    Page(
        "coverage dashboard, after a station change",
        "staff",
        "/stations/dashboard/",
        False,
        before_each=STATIONS_CHANGE,
    ),
    # A monthly report: the rates and volumes counted again, the coverage kept.
    Page(
        "coverage dashboard, after a report",
        "staff",
        "/stations/dashboard/",
        False,
        before_each=REPORTS_CHANGE,
    ),
    Page("review queue", "staff", "/stations/review/"),
    Page("reports catalogue", "staff", "/reports/"),
    Page("report runs", "staff", "/reports/runs/", False),
    Page("notifications", "staff", "/notifications/", False),
    Page("projects", "staff", "/projects/", False),
    Page("programmes", "staff", "/projects/programmes/", False),
    Page("finance", "staff", "/finance/", False),
    Page("vouchers", "staff", "/finance/vouchers/", False),
    Page("dues disclosure", "staff", "/finance/dues/disclosure/", False),
    Page("my dues", "station", "/finance/dues/mine/", False),
    Page("meetings", "staff", "/governance/meetings/", False),
    Page("elections", "staff", "/elections/", False),
    Page("admin: memberships", "staff", "/admin/members/membership/", capacity=True),
    Page(
        "admin: memberships current",
        "staff",
        "/admin/members/membership/?standing=current",
        capacity=True,
    ),
    Page("admin: social workers", "staff", "/admin/members/socialworker/", capacity=True),
    Page("admin: dues", "staff", "/admin/members/dues/", False),
    Page("admin: stations", "staff", "/admin/stations/station/", capacity=True),
    Page("admin: monthly reports", "staff", "/admin/stations/servicereport/", capacity=True),
    Page("admin: regions", "admin", "/admin/regions/region/", False),
]


@dataclass
class Results:
    scale: str
    sections: dict = field(default_factory=dict)  # title → (header, rows, notes)

    def table(self, title, header, rows, notes=""):
        self.sections[title] = (header, rows, notes)
        widths = [max(len(str(x)) for x in col) for col in zip(header, *rows, strict=True)]
        print(f"\n## {title}")
        for row in [header, *rows]:
            print("  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)))
        if notes:
            print(notes)


def production_env() -> None:
    """The settings of a deployment (DEBUG off, manifest static files, secure cookies behind
    a proxy that says https), for this process and the gunicorn it starts."""
    os.environ.update(DEBUG="0", ALLOWED_HOSTS="testserver,127.0.0.1", SECURE_SSL_REDIRECT="1")


def collect_static() -> None:
    """The manifest the production settings read: collected the first time, and again when
    a static file is newer than it (compressing takes minutes here, so not every run)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders
    from django.core.management import call_command

    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.exists():
        collected = manifest.stat().st_mtime
        newest = max(
            (
                Path(storage.path(path)).stat().st_mtime
                for finder in finders.get_finders()
                for path, storage in finder.list([])
            ),
            default=0,
        )
        if newest <= collected:
            return
    print("collectstatic (a static file is new or has changed)")
    call_command("collectstatic", interactive=False, verbosity=0)


# --- sessions ---------------------------------------------------------------------------


def login(client, email):
    """Log ``client`` in as ``email`` with the second factor on record (as tests/conftest.py
    ``_second_factor_on_test_login`` does): staff pages need it (accounts/middleware.py)."""
    from allauth.account.internal.flows.login import record_authentication
    from django.http import HttpRequest

    from association.accounts.models import User

    user = User.objects.get(email=email)
    client.force_login(user)
    fake = HttpRequest()
    fake.session = client.session
    fake.user = user
    record_authentication(fake, user, "mfa", type="totp")
    fake.session.save()
    return user


def clients():
    from django.test import Client

    result = {}
    for persona, email in PERSONAS.items():
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        login(client, email)
        result[persona] = client
    return result


def url_values() -> dict:
    from members.models import Membership
    from stations.models import ServiceReport, StaffAssignment, Station

    station = Station.objects.filter(closed_on__isnull=True).order_by("region__code").first()
    report = ServiceReport.objects.filter(station=station).order_by("-month").first()
    membership = Membership.objects.filter(state="approved").order_by("id").first()
    own = (
        StaffAssignment.objects.current()
        .filter(worker__user__email=PERSONAS["station"])
        .order_by("station_id")
        .first()
    )
    return {
        "station": station.pk if station else 0,
        "own_station": own.station_id if own else 0,
        "report": report.pk if report else 0,
        "membership": membership.pk if membership else 0,
    }


# --- one user -----------------------------------------------------------------------------


def bench_pages(results: Results) -> dict:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from association.stack import with_room
    from association.startup import freeze_as_it_warms_up

    values = url_values()
    by_persona = clients()
    # As association.wsgi has a worker do: its long-lived objects out of the garbage
    # collector's full passes, frozen after its 1st, 10th, 100th and 1,000th answer.
    freeze_as_it_warms_up()
    rows, timings = [], {}
    for page in PAGES:
        # Called as association.wsgi calls Django in a worker: from a frame with room on the
        # interpreter's frame stack, so that no loop's calls map a chunk of it each.
        get = with_room(by_persona[page.persona].get)
        url = page.url.format(**values)
        get(url, secure=True)  # warm: templates, caches, connections
        times = []
        for _ in range(REPEAT[results.scale]):
            if page.before_each:
                with connection.cursor() as cursor:
                    cursor.execute(page.before_each)
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = get(url, secure=True)
                times.append(time.perf_counter() - start)
        if page.before_each and len(times) % 2:
            with connection.cursor() as cursor:
                cursor.execute(page.before_each)  # an even number of times (MEMBERS_CHANGE)
        median = statistics.median(times)
        timings[(page.label, page.persona)] = median
        status = response.status_code
        rows.append(
            [
                page.label,
                page.persona,
                url,
                status if status == 200 else f"**{status}**",
                f"{median * 1000:,.0f}",
                f"{min(times) * 1000:,.0f}",
                len(queries),
                load(),
            ]
        )
    results.table(
        "Pages, one user",
        ["page", "as", "url", "status", "median ms", "min ms", "queries", "load avg"],
        rows,
        f"{REPEAT[results.scale]} timed requests a page after one warm-up, in-process "
        "(Django test client, DEBUG off); queries of the last request.",
    )
    return timings


# --- 20 users against gunicorn -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(scale: str, port: int) -> subprocess.Popen:
    env = bench_env(scale)
    env.update(DEBUG="0", ALLOWED_HOSTS="127.0.0.1", SECURE_SSL_REDIRECT="1")
    log = open(ROOT / "var" / f"bench-gunicorn-{scale}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "association.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 300  # three workers importing Django on a busy machine
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            conn.request("GET", "/health/", headers={"X-Forwarded-Proto": "https"})
            conn.getresponse().read()
            return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError(f"gunicorn did not answer on port {port}: see var/bench-gunicorn-*.log")


@contextmanager
def gunicorn(scale: str):
    """A gunicorn of the production settings on a free loopback port, for the ``with``
    block; yields the port, stops the server afterwards."""
    port = free_port()
    process = start_gunicorn(scale, port)
    try:
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def session_cookies() -> dict[str, str]:
    """Each persona's session, as the Cookie header a request to gunicorn sends."""
    from django.conf import settings

    name = settings.SESSION_COOKIE_NAME
    return {
        persona: f"{name}={client.cookies[name].value}" for persona, client in clients().items()
    }


def hammer(port, path, cookie, requests, seconds):
    """``USERS`` threads, each with its own connection, request ``path`` until ``requests``
    have been started or ``seconds`` have passed. Returns latencies, errors and wall time."""
    latencies, errors, lock = [], [], threading.Lock()
    started = [0]
    deadline = time.monotonic() + seconds
    headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}

    def user():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        while True:
            with lock:
                if started[0] >= requests or time.monotonic() > deadline:
                    return
                started[0] += 1
            start = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            elapsed = time.perf_counter() - start
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                else:
                    errors.append(status)

    threads = [threading.Thread(target=user) for _ in range(USERS)]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors, time.perf_counter() - wall


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def bench_concurrent(results: Results, single: dict) -> None:
    values = url_values()
    cookies = session_cookies()
    requests, seconds = BOUNDS[results.scale]
    rows = []
    with gunicorn(results.scale) as port:
        for page in PAGES:
            if not page.concurrent:
                continue
            path = page.url.format(**values)
            # Warm every worker (templates, its connection, the menu's compiled query): the
            # figures are of a server in service, not of its first requests.
            hammer(port, path, cookies[page.persona], WARM_UP, 30)
            latencies, errors, wall = hammer(port, path, cookies[page.persona], requests, seconds)
            one = single.get((page.label, page.persona))
            if latencies:
                p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
                cells = [f"{p50 * 1000:,.0f}", f"{p95 * 1000:,.0f}", f"{len(latencies) / wall:.2f}"]
                ratio = f"{p50 / one:.1f}×" if one else "–"
            else:
                cells, ratio = ["–", "–", "0"], "–"
            failed = ""
            if errors:
                kinds = sorted({str(e) for e in errors})
                failed = f"{len(errors)} ({', '.join(kinds)})"
            rows.append([page.label, page.persona, len(latencies), *cells, ratio, failed, load()])
            print("  ", rows[-1])
    results.table(
        f"Pages, {USERS} concurrent users (gunicorn, 3 workers, timeout 60 s)",
        ["page", "as", "done", "p50 ms", "p95 ms", "req/s", "p50 / one user", "errors", "load avg"],
        rows,
        f"Each page: {USERS} threads on loopback, at most {requests} requests or {seconds} s "
        f"(after {WARM_UP} warm-up requests); p50/p95 of the successful ones.",
    )


def arrivals(rate: float, seconds: float, seed: int) -> list[float]:
    """Seconds from the start at which requests arrive: a Poisson process of ``rate`` a
    second, seeded, so that every run offers the same load."""
    import random

    generator = random.Random(seed)  # a load model, not a secret
    times, at = [], generator.expovariate(rate)
    while at < seconds and len(times) < 600:
        times.append(at)
        at += generator.expovariate(rate)
    return times


def offer(port, path, cookie, rate, seconds, seed=0):
    """Requests to ``path`` arriving at ``rate`` a second for ``seconds``, each sent at its
    time whether or not the earlier ones have been answered (an open load: people do not
    wait for one another). A request's latency counts from its arrival, so a request that
    could not even be sent in time counts its wait (no coordinated omission). Returns
    latencies and errors."""
    from concurrent.futures import ThreadPoolExecutor

    headers = {"Cookie": cookie, "X-Forwarded-Proto": "https", "Accept-Language": "zh-hans"}
    latencies, errors, lock = [], [], threading.Lock()
    schedule = arrivals(rate, seconds, seed)

    def one(at):
        delay = start + at - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            response.read()
            conn.close()
            status = response.status
        except (OSError, http.client.HTTPException) as error:
            status = type(error).__name__
        elapsed = time.perf_counter() - (start + at)
        with lock:
            (latencies if status == 200 else errors).append(elapsed if status == 200 else status)

    # Threads enough for 128 requests in flight (gunicorn's three workers take 3 at a time;
    # the rest wait in its queue, as they would in service). Beyond that a request is sent
    # late, and its wait still counts, from its arrival.
    with ThreadPoolExecutor(max_workers=128) as pool:
        start = time.perf_counter()
        list(pool.map(one, schedule))
    return latencies, errors


def bench_capacity(results: Results) -> None:
    values = url_values()
    cookies = session_cookies()
    rates, seconds = RATES[results.scale], RATE_SECONDS[results.scale]
    rows = []
    with gunicorn(results.scale) as port:
        for page in PAGES:
            if not page.capacity:
                continue
            path = page.url.format(**values)
            hammer(port, path, cookies[page.persona], WARM_UP, 30)
            cells, served = [], "–"
            for rate in rates:
                latencies, errors = offer(
                    port, path, cookies[page.persona], rate, seconds, seed=rate
                )
                if latencies and not errors:
                    p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
                    cells.append(f"{p50 * 1000:,.0f} / {p95 * 1000:,.0f}")
                    if p95 < SERVED_P95:
                        served = f"{rate}"
                else:
                    cells.append(f"{len(errors)} errors")
            rows.append([page.label, page.persona, *cells, served, load()])
            print("  ", rows[-1])
    results.table(
        "Capacity: requests arriving at a fixed rate (gunicorn, 3 workers)",
        [
            "page",
            "as",
            *[f"{rate}/s p50 / p95 ms" for rate in rates],
            f"served at p95 < {SERVED_P95 * 1000:.0f} ms (req/s)",
            "load avg",
        ],
        rows,
        f"Each rate: {seconds} s of requests arriving as a Poisson process (seeded), each sent "
        "at its time whether or not earlier ones have been answered, its latency counted "
        "from its arrival; the page warmed first. The last column is the highest of these "
        "rates whose p95 stayed under the limit. The 20-user table above is the same server "
        "saturated (20 requests always in flight, no time between an answer and the next "
        "request): its req/s is what a page serves flat out. 20 people who each read a page "
        "for 2 s before the next ask about 10 a second.",
    )


# --- reports --------------------------------------------------------------------------------


def report_params(report, today) -> list[str]:
    import datetime

    params = dict(report.scheduled_params(today))
    form = report.form()
    for name, form_field in form.fields.items():
        if name in params or not form_field.required:
            continue
        if name == "start":
            params[name] = datetime.date(today.year, 1, 1).isoformat()
        elif name == "end":
            params[name] = today.isoformat()
        elif name == "year":
            params[name] = str(today.year - 1)
        elif name == "month":
            params[name] = (today.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")
    return [f"{k}={v}" for k, v in params.items()]


def run_measured(command: list[str], env: dict) -> tuple[float, float, int, str, float]:
    """Run ``command``; its wall time, its own peak RSS in MB (wait4's rusage), status,
    last line of output and CPU seconds (user + system: on a shared machine the wall time
    mostly measures the other processes, the CPU time the command itself)."""
    import tempfile

    with tempfile.TemporaryFile() as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
        _pid, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        text = log.read().decode(errors="replace").strip().splitlines()
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, usage.ru_maxrss / 1024, process.returncode, text[-1] if text else "", cpu


def bench_reports(results: Results) -> None:
    from django.utils import timezone

    from association.reports import catalogue

    env = bench_env(results.scale)
    python = str(ROOT / ".venv" / "bin" / "python")
    output = ROOT / "var" / "bench-report.out"
    startup, baseline, _s, _m, startup_cpu = run_measured(
        [python, "manage.py", "run_report", "--list"], env
    )
    today = timezone.localdate()
    rows = []
    for report in catalogue.all_reports():
        params = report_params(report, today)
        for fmt in report.formats:  # an export is xlsx only
            command = [python, "manage.py", "run_report", report.slug, "--format", fmt]
            for param in params:
                command += ["--param", param]
            command += ["--output", str(output)]
            elapsed, rss, code, message, cpu = run_measured(command, env)
            size = output.stat().st_size if code == 0 and output.exists() else 0
            rows.append(
                [
                    report.slug,
                    fmt,
                    " ".join(params) or "–",
                    f"{elapsed:.1f}" if code == 0 else f"**failed** ({message[:60]})",
                    f"{cpu:.1f}",
                    f"{cpu - startup_cpu:.1f}",
                    f"{rss:,.0f}",
                    f"{rss - baseline:,.0f}",
                    f"{size / 1024:,.0f}",
                    load(),
                ]
            )
            print("  ", rows[-1])
    results.table(
        "Reports (manage.py run_report in a subprocess)",
        [
            "report",
            "format",
            "params",
            "seconds",
            "CPU s",
            "CPU s above start-up",
            "peak RSS MB",
            "above start-up MB",
            "KB",
            "load avg",
        ],
        rows,
        f"Start-up (run_report --list): {baseline:,.0f} MB peak RSS, {startup:.1f} s "
        f"({startup_cpu:.1f} s CPU); the seconds above include it. CPU s is user + system "
        "time of the command (wait4): unlike the wall time, it does not grow with the load.",
    )


# --- the navigation's dues check --------------------------------------------------------------


def bench_explain(results: Results) -> None:
    """``EXPLAIN ANALYZE`` of the very SQL ``_has_dues`` sends (captured as it runs)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from association.accounts.models import User
    from association.finance.navigation import _has_dues

    rows = []
    for persona in ("station", "orgadmin", "staff"):
        user = User.objects.get(email=PERSONAS[persona])
        _has_dues(user)  # warm
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            answer = _has_dues(user)
            elapsed = (time.perf_counter() - start) * 1000
        sql = captured.captured_queries[-1]["sql"]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT TEXT) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
        seq = [line.strip() for line in plan if re.search(r"Seq Scan on members_dues\b", line)]
        used = sorted(set(re.findall(r"Index (?:Only )?Scan using (\w+)", "\n".join(plan))))
        total = next((line for line in plan if line.startswith("Execution Time")), "")
        rows.append(
            [
                persona,
                "yes" if answer else "no",
                "**yes**" if seq else "no",
                ", ".join(used) or "–",
                f"{elapsed:.1f}",
                total.replace("Execution Time: ", ""),
                load(),
            ]
        )
        print(sql)
        print("\n".join(plan))
        print(f"  {persona}: sequential scan of members_dues: {'YES' if seq else 'no'}")
    results.table(
        "The navigation's dues check (finance/navigation.py `_has_dues`)",
        [
            "as",
            "has dues",
            "Seq Scan on members_dues",
            "indexes used",
            "_has_dues() ms",
            "EXPLAIN ANALYZE",
            "load avg",
        ],
        rows,
        "Run for every page of every signed-in user: the plan of the query it sends, captured "
        "as it runs. It should read indexes only, never all of `members_dues`.",
    )


# --- foundation (regions, notifications) -------------------------------------------------------


def bench_foundation(results: Results) -> None:
    python = str(ROOT / ".venv" / "bin" / "python")
    completed = subprocess.run(
        [python, str(ROOT / "bench" / "bench_foundation.py")],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        | {"DATABASE_URL": os.environ.get("BENCH_SERVER_URL", "")},
        capture_output=True,
        text=True,
        check=False,
    )
    print(completed.stdout, completed.stderr[-2000:])
    rows = [
        [line.split(" in ")[0].strip(), line.split(" in ", 1)[1].strip(), load()]
        for line in completed.stdout.splitlines()
        if " in " in line and "/s" in line
    ]
    if completed.returncode:
        rows.append(["**failed**", completed.stderr.strip().splitlines()[-1][:100], load()])
    results.table(
        "Regions and notifications (bench/bench_foundation.py)", ["what", "time", "load avg"], rows
    )


# --- docs/performance.md ------------------------------------------------------------------------


def write(results: Results, started: str, took: float, counts: dict | None) -> None:
    lines = [
        f"<!-- bench:{results.scale}:start -->",
        f"## {results.scale.capitalize()} scale",
        "",
        f"`make bench{'' if results.scale == 'city' else ' SCALE=' + results.scale}`, "
        f"{started}, {took / 60:.1f} min. Machine: {machine()}. Load average (1, 5, 15 min) "
        "is given beside each figure: the machine is shared, compare runs with care.",
        "",
    ]
    if counts:
        lines += ["Dataset: " + ", ".join(f"{v:,} {k}" for k, v in counts.items()) + ".", ""]
    for title, (header, rows, notes) in results.sections.items():
        lines += [f"### {title}", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(str(c).replace("|", "\\|") for c in row) + " |" for row in rows]
        lines.append("")
        if notes:
            lines += [notes, ""]
    lines.append(f"<!-- bench:{results.scale}:end -->")
    block = "\n".join(lines)
    text = PERFORMANCE.read_text(encoding="utf-8") if PERFORMANCE.exists() else ""
    pattern = re.compile(
        rf"<!-- bench:{results.scale}:start -->.*?<!-- bench:{results.scale}:end -->", re.S
    )
    if pattern.search(text):
        text = pattern.sub(lambda _m: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    PERFORMANCE.write_text(text, encoding="utf-8")
    print(f"\nWritten to {PERFORMANCE.relative_to(ROOT)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scale", choices=["tiny", "city", "province"], default="city")
    parser.add_argument("--only", default=",".join(PARTS), help=f"of: {', '.join(PARTS)}")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--pages",
        default="",
        help="only the pages whose label matches this regular expression (implies --no-write)",
    )
    args = parser.parse_args(argv)
    sys.stdout.reconfigure(line_buffering=True)  # progress shows as it comes, also in a log
    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    if args.pages:  # a partial run: printed, never written over the section
        PAGES[:] = [page for page in PAGES if re.search(args.pages, page.label)]
        args.no_write = True
    started, clock = now(), time.perf_counter()
    production_env()
    setup(args.scale)
    import generate

    counts = None
    counts = generate.generate(args.scale) if "generate" in parts else generate.counts()
    (ROOT / "var").mkdir(exist_ok=True)
    collect_static()
    results = Results(args.scale)
    single = {}
    steps = [
        ("pages", lambda: single.update(bench_pages(results))),
        ("concurrent", lambda: bench_concurrent(results, single)),
        ("capacity", lambda: bench_capacity(results)),
        ("reports", lambda: bench_reports(results)),
        ("explain", lambda: bench_explain(results)),
        ("foundation", lambda: bench_foundation(results)),
    ]
    try:
        for name, step in steps:
            if name not in parts:
                continue
            try:
                step()
            except Exception as error:  # one part failing leaves the others' figures
                import traceback

                traceback.print_exc()
                results.table(f"{name}: failed", ["error"], [[f"{type(error).__name__}: {error}"]])
    finally:
        if not args.no_write:
            write(results, started, time.perf_counter() - clock, counts)


if __name__ == "__main__":
    main()
