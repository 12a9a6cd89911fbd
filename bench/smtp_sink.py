"""A counting SMTP sink in its own process, so the sink does not compete with the sender."""

import multiprocessing
import time


def _serve(port, counter, ready, arrivals=None):
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # per-command logs slow the sink

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd hook
            with counter.get_lock():
                if arrivals is not None and counter.value < len(arrivals):
                    arrivals[counter.value] = time.time()
                counter.value += len(envelope.rcpt_tos)
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    while True:
        time.sleep(3600)


class CountingSink:
    """Counts what arrives; with ``keep_times`` also notes when the first N messages came."""

    def __init__(self, port: int, *, keep_times: int = 0):
        self.port = port
        self.counter = multiprocessing.Value("i", 0)
        self.arrivals = multiprocessing.Array("d", keep_times) if keep_times else None
        ready = multiprocessing.Event()
        self.process = multiprocessing.Process(
            target=_serve, args=(port, self.counter, ready, self.arrivals), daemon=True
        )
        self.process.start()
        ready.wait(10)

    @property
    def count(self) -> int:
        return self.counter.value

    def times(self) -> list[float]:
        return list(self.arrivals[: min(self.count, len(self.arrivals))])

    def reset(self):
        with self.counter.get_lock():
            self.counter.value = 0

    def stop(self):
        self.process.terminate()
        self.process.join(5)
