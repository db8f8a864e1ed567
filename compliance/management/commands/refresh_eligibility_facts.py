import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from compliance.eligibility_facts import missing_account_ids, refresh_missing


class Command(BaseCommand):
    help = ("Work out the batch eligibility facts of every account that has none (after a bulk load), "
            "so the next batch reads them instead.")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        missing = missing_account_ids()
        with tqdm(total=len(missing), unit="acct", desc="eligibility facts", disable=options["verbosity"] == 0) as bar:
            done = refresh_missing(missing, progress=bar.update)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Worked out the eligibility facts of {done:,} accounts in {elapsed:.1f} s."))
