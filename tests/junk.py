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
