"""Small but real POP3 and IMAP4 servers for the bounce mailbox's tests: they speak the
protocols over TCP on 127.0.0.1 (the subset Python's poplib and imaplib use: RFC 1939 and
RFC 3501), keep their mails in memory, and apply deletions the way real servers do (POP3 on
QUIT, IMAP on EXPUNGE or CLOSE).
"""

import re
import socketserver
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Store:
    """The mailbox: mails by UID (IMAP) in arrival order; other folders for IMAP's COPY."""

    user: str = "bounces@netzwerk.example.org"
    password: str = "geheim 54290"
    mails: dict[int, bytes] = field(default_factory=dict)
    folders: dict[str, list[bytes]] = field(default_factory=dict)
    next_uid: int = 1
    # A server that breaks: drops the connection instead of answering QUIT (POP3) or EXPUNGE
    # (IMAP), so the deletions of that session never take effect.
    drop_before_commit: bool = False
    logins: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, raw: bytes) -> None:
        with self.lock:
            self.mails[self.next_uid] = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
            self.next_uid += 1

    def messages(self) -> list[bytes]:
        with self.lock:
            return list(self.mails.values())


class _Handler(socketserver.StreamRequestHandler):
    timeout = 10

    def send(self, line: str | bytes) -> None:
        data = line.encode() if isinstance(line, str) else line
        self.wfile.write(data + b"\r\n")

    def read_line(self) -> str | None:
        line = self.rfile.readline(10000)
        if not line:
            return None
        return line.decode("utf-8", "replace").rstrip("\r\n")


class POP3Handler(_Handler):
    def handle(self):
        store: Store = self.server.store
        self.send("+OK POP3 server ready")
        user = None
        authorised = False
        deleted: set[int] = set()
        numbers: list[int] = []
        while (line := self.read_line()) is not None:
            command, _sep, argument = line.partition(" ")
            command = command.upper()
            if command == "USER":
                user = argument
                self.send("+OK")
            elif command == "PASS":
                if user == store.user and argument == store.password:
                    authorised = True
                    with store.lock:
                        store.logins += 1
                        numbers = list(store.mails)  # message n is numbers[n - 1]
                    self.send("+OK logged in")
                else:
                    self.send("-ERR [AUTH] invalid user or password")
            elif command == "QUIT":
                if store.drop_before_commit and authorised:
                    return  # the connection breaks: nothing is deleted
                with store.lock:
                    for number in deleted:
                        store.mails.pop(numbers[number - 1], None)
                self.send("+OK bye")
                return
            elif not authorised:
                self.send("-ERR log in first")
            elif command == "STAT":
                live = [n for n in range(1, len(numbers) + 1) if n not in deleted]
                size = sum(len(store.mails[numbers[n - 1]]) for n in live)
                self.send(f"+OK {len(live)} {size}")
            elif command == "RETR":
                number = int(argument)
                if number in deleted or not 1 <= number <= len(numbers):
                    self.send("-ERR no such message")
                    continue
                raw = store.mails[numbers[number - 1]]
                self.send(f"+OK {len(raw)} octets")
                for raw_line in raw.split(b"\r\n")[:-1]:
                    self.send(b"." + raw_line if raw_line.startswith(b".") else raw_line)
                self.send(".")
            elif command == "DELE":
                deleted.add(int(argument))
                self.send("+OK marked")
            elif command in ("NOOP", "RSET"):
                if command == "RSET":
                    deleted.clear()
                self.send("+OK")
            else:
                self.send("-ERR unknown command")


_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"|(\S+)')


def _arguments(text: str) -> list[str]:
    return [
        re.sub(r"\\(.)", r"\1", quoted) if quoted or bare == "" else bare
        for quoted, bare in _TOKEN.findall(text)
    ]


class IMAPHandler(_Handler):
    def handle(self):
        store: Store = self.server.store
        self.send("* OK [CAPABILITY IMAP4rev1] IMAP server ready")
        authorised = selected = False
        flagged: set[int] = set()
        while (line := self.read_line()) is not None:
            tag, _sep, rest = line.partition(" ")
            command, _sep, argument = rest.partition(" ")
            command = command.upper()
            if command == "CAPABILITY":
                self.send("* CAPABILITY IMAP4rev1 AUTH=PLAIN")
                self.send(f"{tag} OK CAPABILITY completed")
            elif command == "LOGIN":
                user, password = _arguments(argument)
                if user == store.user and password == store.password:
                    authorised = True
                    with store.lock:
                        store.logins += 1
                    self.send(f"{tag} OK LOGIN completed")
                else:
                    self.send(f"{tag} NO [AUTHENTICATIONFAILED] Invalid credentials")
            elif command == "LOGOUT":
                self.send("* BYE logging out")
                self.send(f"{tag} OK LOGOUT completed")
                return
            elif not authorised:
                self.send(f"{tag} BAD log in first")
            elif command == "SELECT":
                if _arguments(argument)[0].upper() != "INBOX":
                    self.send(f"{tag} NO no such folder")
                    continue
                selected = True
                self.send(f"* {len(store.mails)} EXISTS")
                self.send("* FLAGS (\\Seen \\Deleted)")
                self.send(f"{tag} OK [READ-WRITE] SELECT completed")
            elif not selected:
                self.send(f"{tag} BAD select a folder first")
            elif command == "UID":
                self._uid(tag, argument, store, flagged)
            elif command in ("EXPUNGE", "CLOSE"):
                if store.drop_before_commit:
                    return  # the connection breaks: nothing is expunged
                with store.lock:
                    for uid in sorted(flagged):
                        store.mails.pop(uid, None)
                flagged.clear()
                if command == "CLOSE":
                    selected = False
                self.send(f"{tag} OK {command} completed")
            elif command == "NOOP":
                self.send(f"{tag} OK NOOP completed")
            else:
                self.send(f"{tag} BAD unknown command")

    def _uid(self, tag, argument, store: Store, flagged: set[int]) -> None:
        command, _sep, rest = argument.partition(" ")
        command = command.upper()
        uids = list(store.mails)
        if command == "SEARCH":
            criteria = rest.upper().split()
            found = [uid for uid in uids if not ("UNDELETED" in criteria and uid in flagged)]
            self.send("* SEARCH" + "".join(f" {uid}" for uid in found))
            self.send(f"{tag} OK SEARCH completed")
            return
        uid_text, _sep, rest = rest.partition(" ")
        uid = int(uid_text)
        if uid not in store.mails:
            self.send(f"{tag} OK nothing matched")
            return
        number = uids.index(uid) + 1
        if command == "FETCH":
            raw = store.mails[uid]
            self.send(f"* {number} FETCH (UID {uid} BODY[] {{{len(raw)}}}")
            self.wfile.write(raw)
            self.send(")")
            self.send(f"{tag} OK FETCH completed")
        elif command == "STORE":
            if "\\DELETED" in rest.upper():
                flagged.add(uid)
            self.send(f"{tag} OK STORE completed")
        elif command == "COPY":
            folder = _arguments(rest)[0]
            with store.lock:
                store.folders.setdefault(folder, []).append(store.mails[uid])
            self.send(f"{tag} OK COPY completed")
        else:
            self.send(f"{tag} BAD unknown UID command")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@contextmanager
def mail_server(protocol: str, store: Store):
    """A POP3 (``"pop3"``) or IMAP (``"imap"``) server for ``store`` on a free local port;
    yields the mailbox URL to read it with."""
    handler = POP3Handler if protocol == "pop3" else IMAPHandler
    server = _Server(("127.0.0.1", 0), handler)
    server.store = store
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        port = server.server_address[1]
        user = store.user.replace("@", "%40")
        password = store.password.replace(" ", "%20")
        folder = "/INBOX" if protocol == "imap" else ""
        yield f"{protocol}://{user}:{password}@127.0.0.1:{port}{folder}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
