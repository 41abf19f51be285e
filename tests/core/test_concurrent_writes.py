"""Twenty people writing at once against a real server (gunicorn, 2 processes with 4
threads each) on the test database, SQLite or PostgreSQL, whichever the run uses.

Sixteen staff log in through the login form, register partners, draft agreements and
submit them; all of them also try to register the same partner at the same moment.
Four managers approve whatever waits, racing each other for the same agreements. Every
write must either land (a redirect and a success message) or be refused with a message
a person can act on (a form error or a warning); never a server error, never "database
is locked"; and afterwards the database holds exactly what was acknowledged."""

import random
import re
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.db import connection

from agreements.models import Agreement, AgreementEvent, Status
from partnerships.models import Partner
from tests.agreements.test_views import agreement_data
from tests.conftest import test_database_url
from tests.factories import UserFactory
from tests.live_server import LiveServer, Response, WebClient
from tests.partnerships.test_partner_form import partner_data

STAFF = 16
MANAGERS = 4
ROUNDS = 1
PASSWORD = "load-test-password"
SHARED_PARTNER = "Gemensam förening för alla"
AGREEMENT_LINK = re.compile(r'href="/agreements/(\d+)/"')


@dataclass
class Write:
    kind: str
    outcome: str  # "acknowledged" or "refused"
    seconds: float
    key: str = ""  # what was written: a partner's name, an agreement's title or pk


@dataclass
class Tally:
    writes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, write: Write):
        with self.lock:
            self.writes.append(write)

    def problem(self, text: str):
        with self.lock:
            self.problems.append(text)

    def acknowledged(self, kind: str) -> list[str]:
        return [w.key for w in self.writes if w.kind == kind and w.outcome == "acknowledged"]


def _judge(tally, client: WebClient, kind: str, key: str, response: Response, success: str):
    """Acknowledged: a redirect to a page showing `success`. Refused: the form again with
    an error, or a redirect to a page with a warning. Anything else is a problem."""
    seconds = response.seconds
    if response.status in (301, 302, 303):
        page = client.follow(response)
        levels = dict(page.messages())
        texts = " ".join(text for _level, text in page.messages())
        if page.status == 200 and success in texts:
            tally.record(Write(kind, "acknowledged", seconds, key))
            return page
        if page.status == 200 and ("warning" in levels or "error" in levels):
            tally.record(Write(kind, "refused", seconds, key))
            return page
        tally.problem(f"{kind} {key}: redirected to {page.status} without a message: {texts!r}")
        return page
    if response.status in (200, 409) and (response.errors() or response.messages()):
        tally.record(Write(kind, "refused", seconds, key))
        return response
    tally.problem(f"{kind} {key}: {response.status} {response.text[:300]!r}")
    return response


def _reporting_problems(work):
    """A thread's unexpected exception (a timeout, a dropped connection) is a problem of
    the run, not a warning pytest might bury."""

    def run(*args, tally, **kwargs):
        try:
            work(*args, tally=tally, **kwargs)
        except threading.BrokenBarrierError:
            tally.problem(f"{work.__name__}: another thread failed before the start")
        except Exception as error:
            tally.problem(f"{work.__name__}: {type(error).__name__}: {error}")

    return run


def _staff_work(server, person, start, tally, clients):
    client = server.client()
    clients.append(client)
    if client.log_in(person["username"], PASSWORD).status != 302:
        tally.problem(f"{person['username']} could not log in")
        start.abort()
        return
    start.wait()

    # Everybody registers the same partner at the same moment: one lands.
    response = client.post("/partners/new/", person["shared_partner"])
    _judge(tally, client, "shared partner", SHARED_PARTNER, response, "registered")

    for partner_name, partner_form, title in person["rounds"]:
        response = client.post("/partners/new/", partner_form)
        _judge(tally, client, "partner", partner_name, response, "registered")
        if response.status != 302:
            continue
        partner = SimpleNamespace(pk=int(re.search(r"/partners/(\d+)/", response.location)[1]))

        form = agreement_data(partner, SimpleNamespace(pk=person["pk"]), title=title)
        response = client.post("/agreements/new/", form)
        _judge(tally, client, "agreement", title, response, "saved")
        if response.status != 302:
            continue
        pk = re.search(r"/agreements/(\d+)/", response.location)[1]

        response = client.post(f"/agreements/{pk}/submit/", {})
        _judge(tally, client, "submit", pk, response, "is submitted")


def _manager_work(server, username, start, staff_done, tally, clients):
    client = server.client()
    clients.append(client)
    if client.log_in(username, PASSWORD).status != 302:
        tally.problem(f"{username} could not log in")
        start.abort()
        return
    order = random.Random(username)
    start.wait()
    while True:
        finished = staff_done.is_set()
        listing = client.get("/agreements/?state=pending&awaiting_my_approval=on")
        if listing.status != 200:
            tally.problem(f"agreement list: {listing.status}")
            return
        waiting = sorted(set(AGREEMENT_LINK.findall(listing.text)))
        # Each manager in an order of their own: they still collide, but not on every one.
        order.shuffle(waiting)
        for pk in waiting:
            response = client.post(f"/agreements/{pk}/approve/", {"conflict": "none"})
            _judge(tally, client, "approve", pk, response, "is approved")
        if finished and not waiting:
            return
        if not waiting:
            time.sleep(0.3)


def _staff_plan(user) -> dict:
    """What one staff member will send, made here because the forms' test data reads
    the database (focus areas), which the threads should not touch."""
    no_contacts = {"contacts-TOTAL_FORMS": "0", "organisation_number": ""}
    rounds = []
    for round_number in range(ROUNDS):
        name = f"Lastpartner {user.username}-{round_number}"
        title = f"Lastavtal {user.username}-{round_number}"
        rounds.append((name, partner_data(user, name=name, **no_contacts), title))
    return {
        "username": user.username,
        "pk": user.pk,
        "shared_partner": partner_data(user, name=SHARED_PARTNER, **no_contacts),
        "rounds": rounds,
    }


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_twenty_people_writing_at_once_lose_nothing(tmp_path, capsys):
    staff = [
        UserFactory(username=f"loadstaff{number}", staff=True, password=PASSWORD)
        for number in range(STAFF)
    ]
    managers = [
        UserFactory(username=f"loadmanager{number}", manager=True, password=PASSWORD)
        for number in range(MANAGERS)
    ]

    staff_plans = [_staff_plan(user) for user in staff]
    tally = Tally()
    clients = []
    start = threading.Barrier(STAFF + MANAGERS + 1, timeout=180)
    staff_done = threading.Event()
    with LiveServer(
        database_url=test_database_url(), log_path=tmp_path / "server.log", workers=2, threads=4
    ) as server:
        staff_threads = [
            threading.Thread(
                target=_reporting_problems(_staff_work),
                args=(server, plan, start),
                kwargs={"tally": tally, "clients": clients},
            )
            for plan in staff_plans
        ]
        manager_threads = [
            threading.Thread(
                target=_reporting_problems(_manager_work),
                args=(server, user.username, start, staff_done),
                kwargs={"tally": tally, "clients": clients},
            )
            for user in managers
        ]
        for thread in staff_threads + manager_threads:
            thread.start()
        start.wait()
        began = time.monotonic()
        for thread in staff_threads:
            thread.join(timeout=240)
        staff_done.set()
        for thread in manager_threads:
            thread.join(timeout=240)
        elapsed = time.monotonic() - began
        assert not any(t.is_alive() for t in staff_threads + manager_threads), "threads hung"
        server_log = server.log()

    responses = [response for client in clients for response in client.responses]
    statuses = Counter(response.status for response in responses)
    latencies = [response.seconds for response in responses]
    write_latencies = [write.seconds for write in tally.writes]
    outcomes = Counter((write.kind, write.outcome) for write in tally.writes)
    acknowledged = sum(1 for write in tally.writes if write.outcome == "acknowledged")
    refused = len(tally.writes) - acknowledged
    with capsys.disabled():
        print(
            f"\nconcurrent writes on {connection.vendor}: {STAFF + MANAGERS} threads, "
            f"{len(responses)} requests in {elapsed:.1f} s, {len(tally.writes)} writes: "
            f"{acknowledged} acknowledged, {refused} refused; statuses {dict(statuses)}; "
            f"all requests p50 {statistics.median(latencies) * 1000:.0f} ms, "
            f"p95 {_percentile(latencies, 0.95) * 1000:.0f} ms; writes p50 "
            f"{statistics.median(write_latencies) * 1000:.0f} ms, "
            f"p95 {_percentile(write_latencies, 0.95) * 1000:.0f} ms; "
            f"by kind {dict(sorted(outcomes.items()))}"
        )

    assert not tally.problems, tally.problems
    assert statuses[500] == 0
    assert not [r for r in responses if "database is locked" in r.text]
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log, server_log[-4000:]

    # What was acknowledged is exactly what the database holds.
    assert outcomes[("shared partner", "acknowledged")] == 1
    assert outcomes[("shared partner", "refused")] == STAFF - 1
    assert Partner.objects.filter(name=SHARED_PARTNER).count() == 1
    assert sorted(tally.acknowledged("partner")) == sorted(
        Partner.objects.filter(name__startswith="Lastpartner").values_list("name", flat=True)
    )
    assert len(tally.acknowledged("partner")) == STAFF * ROUNDS  # unique names: all land
    assert sorted(tally.acknowledged("agreement")) == sorted(
        Agreement.objects.values_list("title", flat=True)
    )
    assert len(set(Agreement.objects.values_list("reference", flat=True))) == STAFF * ROUNDS
    submitted = {int(pk) for pk in tally.acknowledged("submit")}
    assert len(submitted) == STAFF * ROUNDS
    approved = [int(pk) for pk in tally.acknowledged("approve")]
    assert len(approved) == len(set(approved))  # no agreement approved twice
    assert set(approved) == submitted  # the managers approved every one in the end
    assert set(
        Agreement.objects.filter(status=Status.APPROVED).values_list("pk", flat=True)
    ) == set(approved)
    assert AgreementEvent.objects.filter(to_status=Status.APPROVED).count() == len(approved)
    assert AgreementEvent.objects.filter(to_status=Status.PENDING).count() == len(submitted)
