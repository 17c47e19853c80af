"""Junk that every check must survive: shared by the exercise tests."""


class Evil:
    """An object every operation of which raises, even repr."""
    def __getattr__(self, name):
        raise RuntimeError("evil attribute")

    def __repr__(self):
        raise RuntimeError("evil repr")

    def __eq__(self, other):
        raise RuntimeError("evil ==")

    __hash__ = None

    def __iter__(self):
        raise RuntimeError("evil iter")

    def __call__(self, *args):
        raise RuntimeError("evil call")


class Hostile:
    """An object whose every attribute access raises, `__class__` included, so
    that even `isinstance` (which reads `__class__`) raises on it."""
    def __getattribute__(self, name):
        raise RuntimeError(f"hostile attribute {name}")


class HostileMeta(type):
    """A class whose every class attribute access raises."""
    def __getattribute__(cls, name):
        raise RuntimeError(f"hostile class attribute {name}")


HostileClass = HostileMeta("HostileClass", (), {})


# Answers no check may pass or raise on, by name (pytest itself can't hold a
# Hostile object as a parameter): empty, the wrong type, and hostile.
JUNK = {
    "None": lambda: None, "int": lambda: 3, "str": lambda: "x", "list": lambda: [1.0],
    "dict": lambda: {"a": 1}, "nan": lambda: float("nan"), "bool": lambda: True, "builtin": lambda: print,
    "object": object, "returns None": lambda: lambda *args: None, "raises": lambda: lambda *args: 1 / 0,
    "Evil": Evil, "Evil class": lambda: Evil, "Hostile": Hostile, "Hostile class": lambda: HostileClass,
}
