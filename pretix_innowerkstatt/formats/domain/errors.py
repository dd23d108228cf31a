"""The one error type of this capability: bad input that must create nothing."""


class FormatError(Exception):
    """Input a format cannot work with (impossible rule, unknown state, too many editions, …).

    The message is meant for the organiser; pretix's async views show it as-is (see
    ``known_errortypes``), so keep it a single, translated sentence.
    """

    def __init__(self, message):
        super().__init__(str(message))

    @property
    def message(self) -> str:
        return self.args[0]
