import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from tqdm import tqdm

from collections_app.demo.seeder import DEMO_PASSWORD, DEMO_USERS, seed_portfolio
from collections_app.models import Account


class Command(BaseCommand):
    help = "Load a realistic, deterministic demo portfolio (clients, users, debtors, accounts, timelines)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--accounts", type=int, default=2000, help="How many accounts (default 2000).")
        parser.add_argument("--seed", type=int, default=1, help="Random seed: same seed, same data.")
        parser.add_argument("--as-of", type=dt.date.fromisoformat, default=None,
                            help="The 'today' of the portfolio (YYYY-MM-DD); default: today.")
        parser.add_argument("--if-empty", action="store_true", help="Do nothing when accounts already exist.")

    def handle(self, *args, accounts: int, seed: int, as_of: dt.date | None, if_empty: bool, **options) -> None:
        if accounts < 0:
            self.stderr.write("--accounts must be zero or more.")
            raise SystemExit(2)
        if if_empty and Account.objects.exists():
            self.stdout.write("Demo data already loaded; nothing to do.")
            return
        started = time.perf_counter()
        with tqdm(total=accounts, unit="acct", desc="seeding", disable=options["verbosity"] == 0) as bar:
            counts = seed_portfolio(accounts=accounts, seed=seed, as_of=as_of or timezone.localdate(),
                                    progress=bar.update)
        elapsed = time.perf_counter() - started
        self.stdout.write(self.style.SUCCESS(
            f"Seeded {counts.accounts:,} accounts, {counts.debtors:,} debtors, {counts.events:,} timeline events "
            f"for {counts.clients} clients in {elapsed:.1f} s ({counts.accounts / max(elapsed, 1e-9):,.0f} accounts/s)."
        ))
        logins = ", ".join(f"{u} ({r})" for u, r, _ in DEMO_USERS)
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}): {logins}")
