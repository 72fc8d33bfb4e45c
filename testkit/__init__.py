"""The one test harness of Stadium: real processes on loopback for the test
suite (tests/), the load test (loadtest/) and the benchmarks (bench/).

- :mod:`testkit.ports`: free loopback ports;
- :mod:`testkit.redis_server`: a private ``redis-server`` (kill, restart, AOF);
- :mod:`testkit.redis_cluster`: a Redis Cluster of those, with replicas if asked;
- :mod:`testkit.postgres`: a private PostgreSQL cluster (``pg_config --bindir``);
- :mod:`testkit.serve`: the production uvicorn command line (``scripts/run.sh``)
  and a server started with it;
- :mod:`testkit.nginx`: the shipped nginx config rendered, and an nginx of
  the test's own in front of servers;
- :mod:`testkit.processes`: stopping a child process (SIGTERM, then SIGKILL);
- :mod:`testkit.redis_client`: Redis clients from a URL, cluster URLs included,
  without Django;
- :mod:`testkit.documents`: quiz documents;
- :mod:`testkit.hosts`: logged-in host sessions and request bursts;
- :mod:`testkit.machine`: the one line describing the machine under a table.

Nothing here imports Django, so the engine tests run without settings.
"""
