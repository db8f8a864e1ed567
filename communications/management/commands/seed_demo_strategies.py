from typing import Any

from django.core.management.base import BaseCommand

from communications.demo import demo_strategies_install


class Command(BaseCommand):
    help = "Install the demo cadence (champion/challenger with a hold-out, plan reminders) unless strategies exist."

    def handle(self, *args: Any, **options: Any) -> None:
        strategy = demo_strategies_install()
        if strategy is None:
            self.stdout.write("strategies exist already: nothing installed")
        else:
            self.stdout.write(f"installed the demo cadence {strategy.name!r} "
                              f"({strategy.variants.count()} variants); the beat sweep assigns accounts each minute")
