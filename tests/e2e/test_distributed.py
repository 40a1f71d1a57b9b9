"""A distributed crawl (seed + two workers sharing a real Redis) stores the same run as one process.

Each crawl gets its own demo portal, fresh, so the portal's stateful endpoints (a homepage that
fails every n-th request) answer both crawls alike; the portals' base URLs are replaced by
placeholders before comparing. Rows are compared as sets without ids, run ids, timestamps,
latencies and crawl depth (the first path to a page that wins depends on timing, in one process too).
"""
import os
import shutil
import socket
import subprocess
import time

import pytest
import redis
from sqlalchemy import select

from govaudit.demo import DemoPortal
from govaudit.demo.config import demo_config
from govaudit.store import Store, columns, link_checks, list_items, page_sites, pages
from .govaudit_cli import BIN, cli
from .local_http import unused_port

pytestmark = pytest.mark.e2e
VOLATILE = {"id", "run_id", "fetched_at", "checked_at", "response_ms", "depth"}
TABLES = (pages, list_items, columns, page_sites, link_checks)


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.fail("redis-server is not installed: run scripts/system-deps.sh (Debian package redis-server)")
    port = unused_port()
    server = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                               "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        client = redis.Redis.from_url(url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def stored_run(store_url: str, demo: DemoPortal) -> dict[str, set]:
    """Rows of the latest run per table, portal URLs replaced by placeholders."""
    def plain(value):
        if isinstance(value, str):
            return value.replace(demo.portal_url, "{portal}").replace(demo.site_url, "{site}")
        return value

    store = Store(store_url)
    run_id = store.latest_run_id(status=None)
    assert store.run(run_id)["status"] == "complete"
    with store.engine.connect() as conn:
        return {table.name: {tuple(plain(row[c.name]) for c in table.columns if c.name not in VOLATILE)
                             for row in conn.execute(select(table).where(table.c.run_id == run_id)).mappings()}
                for table in TABLES}


def crawl_once(tmp_path) -> dict[str, set]:
    with DemoPortal() as demo:
        config = tmp_path / "single.yaml"
        config.write_text(demo_config(demo.portal_url, demo.site_url, "sqlite:///single.db"), encoding="utf-8")
        cli("crawl", config, "--no-progress", timeout=120)
        return stored_run(f"sqlite:///{tmp_path / 'single.db'}", demo)


def crawl_distributed(tmp_path, redis_url: str) -> tuple[dict[str, set], list[str]]:
    """Seed the run, start two workers, wait for all three; the rows and the workers' summaries."""
    with DemoPortal() as demo:
        config = tmp_path / "dist.yaml"
        config.write_text(demo_config(demo.portal_url, demo.site_url, "sqlite:///dist.db"), encoding="utf-8")
        seed = subprocess.Popen([str(BIN), "crawl", str(config), "--no-progress", "--redis", redis_url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        workers = [subprocess.Popen([str(BIN), "worker", "--no-progress", "--redis", redis_url, "--wait", "30"],
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=tmp_path)
                   for _ in range(2)]
        outputs = []
        for process in (seed, *workers):
            out, err = process.communicate(timeout=120)
            assert process.returncode == 0, f"{process.args} failed:\n{err[-3000:]}"
            outputs.append(out.strip())
        return stored_run(f"sqlite:///{tmp_path / 'dist.db'}", demo), outputs[1:]


def test_two_workers_store_the_same_run_as_one_process(tmp_path, redis_url):
    single = crawl_once(tmp_path)
    distributed, summaries = crawl_distributed(tmp_path, redis_url)

    assert len(single["pages"]) > 300 and len(single["columns"]) > 20     # a real crawl, not an empty one
    for table in single:
        assert distributed[table] == single[table], (
            f"{table}: only single-process {sorted(single[table] - distributed[table])[:3]}, "
            f"only distributed {sorted(distributed[table] - single[table])[:3]}")
    # the work was shared: each worker took requests from the common frontier
    taken = [int(summary.split(": ")[1].split()[0]) for summary in summaries]
    assert all(n > 0 for n in taken), summaries
    # the job is done and its frontier removed from Redis (the two counters expire later)
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    assert client.hget("govaudit:job", "state") == "complete"
    assert {key.rsplit(":", 1)[1] for key in client.keys("govaudit:run:*")} <= {"pushed", "done"}


def test_a_worker_killed_with_requests_in_hand_fails_the_run_instead_of_hanging(tmp_path, redis_url):
    env = {**os.environ, "GOVAUDIT_HEARTBEAT_TTL": "3"}
    client = redis.Redis.from_url(redis_url, decode_responses=True)
    with DemoPortal() as demo:
        config = tmp_path / "dist.yaml"
        config.write_text(demo_config(demo.portal_url, demo.site_url, "sqlite:///dist.db"), encoding="utf-8")
        seed = subprocess.Popen([str(BIN), "crawl", str(config), "--no-progress", "--redis", redis_url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path)
        worker = subprocess.Popen([str(BIN), "worker", "--no-progress", "--redis", redis_url, "--wait", "30"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=tmp_path)
        name = f"{socket.gethostname()}:{worker.pid}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:           # until the worker holds requests it has not reported done
            run_id = client.hget("govaudit:job", "run_id")
            taken = client.hget(f"govaudit:run:{run_id}:taken", name)
            if taken and int(taken) > int(client.hget(f"govaudit:run:{run_id}:done", name) or 0):
                break
            time.sleep(0.05)
        else:
            pytest.fail("the worker never took a request")
        worker.kill()
        worker.wait(timeout=10)
        started = time.monotonic()
        _out, err = seed.communicate(timeout=90)
    assert seed.returncode != 0 and name in err and "heartbeat" in err, err[-2000:]
    assert time.monotonic() - started < 60
    assert Store(f"sqlite:///{tmp_path / 'dist.db'}").run(int(run_id))["status"] == "interrupted"
    assert client.hget("govaudit:job", "state") == "failed"


def test_claims_hold_across_processes_and_the_run_drains_only_when_everyone_is_done(redis_url):
    from crawler.distributed import Frontier, connect

    server = connect(redis_url)
    one, two = Frontier(server, 7), Frontier(server, 7)        # two processes of run 7
    assert one.claim_page("http://a/1", "s", 2) == 1
    assert two.claim_page("http://a/1", "s", 2) == 0           # requested by the other process
    assert two.claim_page("http://a/2", "s", 2) == 1
    assert one.claim_page("http://a/3", "s", 2) == -1          # the section's cap holds run-wide
    assert one.claim_page("http://a/3", None, 2) == 1          # reference pages count for no section
    assert Frontier(server, 8).claim_page("http://a/1", "s", 2) == 1   # another run starts afresh
    assert [one.claim_check("http://x/"), two.claim_check("http://x/"), two.claim_check("http://y/")] == [1, 0, 2]

    seed, worker = Frontier(server, 9), Frontier(server, 9)
    seed.token = 1
    server.set(seed.key("pushed"), 1)                           # as publish_job does
    worker.report_idle("worker")
    assert not worker.drained()              # a worker joining before the start pages are queued
    seed.pushed()
    server.zadd(seed.key("requests"), {"request": 0})
    seed.report_idle("seed")
    assert not seed.drained()                # one request queued
    server.zpopmin(seed.key("requests"))
    worker.popped = 1
    assert not seed.drained()                # popped, but its process has not been idle since
    worker.report_idle("worker")
    assert seed.drained()


def test_only_a_silent_process_holding_requests_is_lost(redis_url):
    from crawler.distributed import Frontier, connect

    server = connect(redis_url)
    run = Frontier(server, 11)
    server.hset("govaudit:job", mapping={"run_id": 11, "state": "running"})
    for name in ("busy", "idle", "dead-idle", "dead-busy"):
        run.beat(name, ttl=0.3 if name.startswith("dead") else 60)
    for name, taken, done in (("busy", 5, 2), ("idle", 3, 3), ("dead-idle", 4, 4), ("dead-busy", 6, 5)):
        server.hset(run.key("taken"), name, taken)
        server.hset(run.key("done"), name, done)
    assert run.lost() == []                        # everyone still beating
    time.sleep(0.5)
    assert run.lost() == ["dead-busy"]             # silent with a request in hand; dead-idle held nothing
