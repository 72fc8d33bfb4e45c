"""The one test harness of Stadium: real processes on loopback for the test
suite (tests/), the load test (loadtest/) and the benchmarks (bench/).

- :mod:`testkit.ports`: free loopback ports;
- :mod:`testkit.redis_server`: a private ``redis-server`` (kill, restart, AOF);
- :mod:`testkit.postgres`: a private PostgreSQL cluster (``pg_config --bindir``);
- :mod:`testkit.serve`: the production uvicorn command line (``scripts/run.sh``)
  and a server started with it;
- :mod:`testkit.redis_client`: Redis clients from a URL, cluster URLs included,
  without Django;
- :mod:`testkit.documents`: quiz documents;
- :mod:`testkit.hosts`: logged-in host sessions and request bursts;
- :mod:`testkit.machine`: the one line describing the machine under a table.

Nothing here imports Django, so the engine tests run without settings.
"""
