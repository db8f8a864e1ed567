"""One module per rule family of the catalogue; each rule is ``(Context, instant) -> Outcome``."""
