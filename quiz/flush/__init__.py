"""The write-behind from Redis to PostgreSQL, in parts (the service that
runs them is :mod:`quiz.services.flush`; docs/persistence.md tells why it
never loses or doubles a change):

- Redis: the engine's :mod:`engine.flush` and :mod:`engine.answer_log`
  (what a flush reads, and how it lets go of what is safely in PostgreSQL);
- :mod:`quiz.flush.pg_side`: the bulk writes (COPY into temporary tables,
  then one INSERT ... SELECT ... ON CONFLICT per table);
- :mod:`quiz.flush.faults`: pause points for the crash tests.
"""
