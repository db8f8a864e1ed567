"""Loading a client's portfolio and updates feed from .csv / .xlsx files at scale.

``services.import_run(job, path)`` is the one entry point (the ``import_portfolio`` command, the
``/api/v1/imports/`` endpoint and its Celery task call it). The file is read in chunks
(``reader``), checked column-wise (``portfolio_rows`` / ``transactions``) and loaded with COPY
into a temporary staging table and set-based SQL, one transaction per chunk (``portfolio_load``).
"""
