import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from compliance.eligibility_facts import MISSING_SQL, refresh_missing


class Command(BaseCommand):
    help = ("Work out the batch eligibility facts of every account that has none (after a bulk load), "
            "so the next batch reads them instead.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute(f"select count(*) from ({MISSING_SQL}) m")
            missing = cur.fetchone()[0]
        started = time.perf_counter()
        with tqdm(total=missing, unit="acct", desc="eligibility facts", disable=options["verbosity"] == 0) as bar:
            done = refresh_missing(progress=bar.update)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Worked out the eligibility facts of {done:,} accounts in {elapsed:.1f} s."))
