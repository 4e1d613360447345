"""A real SMTP server for EmailChannelTest, on Debian's python3-aiosmtpd.

Usage: smtp_server.py PORT MAILDIR USER PASSWORD [CERT KEY]
Accepts a login only with USER/PASSWORD; with CERT and KEY it offers STARTTLS and requires it before AUTH and MAIL.
Each accepted message is written to MAILDIR/<n>.eml with the envelope in MAILDIR/<n>.env, then "ready" is printed
once the server listens, so the test can wait for that line.
"""
import os
import ssl
import sys
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

port, maildir, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
cert = sys.argv[5] if len(sys.argv) > 5 else None
key = sys.argv[6] if len(sys.argv) > 6 else None


class Store:
    count = 0

    async def handle_DATA(self, server, session, envelope):
        Store.count += 1
        base = os.path.join(maildir, str(Store.count))
        with open(base + ".env.tmp", "w") as f:
            f.write("from=" + envelope.mail_from + "\n")
            for rcpt in envelope.rcpt_tos:
                f.write("to=" + rcpt + "\n")
            login = session.auth_data.login.decode() if session.authenticated and session.auth_data else ""
            f.write("login=" + login + "\n")
            f.write("tls=" + str(session.ssl is not None) + "\n")
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".env.tmp", base + ".env")
        return "250 OK queued"


def authenticate(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user \
            and auth_data.password.decode() == password:
        return AuthResult(success=True, auth_data=auth_data)
    return AuthResult(success=False, handled=False)


kwargs = dict(hostname="127.0.0.1", port=port, authenticator=authenticate, auth_require_tls=cert is not None)
if cert:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    kwargs.update(tls_context=context, require_starttls=True)
else:
    kwargs.update(auth_require_tls=False)
controller = Controller(Store(), **kwargs)
controller.start()
print("ready", flush=True)
try:
    sys.stdin.read()  # runs until the test closes our stdin (or dies)
finally:
    controller.stop()
