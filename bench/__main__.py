"""``python -m bench <name> [args]`` runs ``bench/<name>.py``'s ``main(argv)``; no name lists them."""

import importlib
import pkgutil
import sys
from pathlib import Path

HELPERS = {"portfolio"}  # modules of shared helpers, not benchmarks


def available() -> list[tuple[str, str]]:
    found = []
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("_") or module.name in HELPERS:
            continue
        source = (Path(__file__).parent / f"{module.name}.py").read_text()
        doc = source.split('"""')[1].strip().splitlines()[0] if source.startswith('"""') else ""
        found.append((module.name, doc))
    return sorted(found)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: python -m bench <name> [args]   (python -m bench <name> --help for its options)\n")
        for name, doc in available():
            print(f"  {name:<14} {doc}")
        return 0
    name = argv[0]
    if name not in dict(available()):
        print(f"no benchmark named {name!r}; available: {', '.join(n for n, _ in available())}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"bench.{name}")
    return int(module.main(argv[1:]) or 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
