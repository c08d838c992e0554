#!/usr/bin/env python3
"""Nothing on disk, proven (issue 10): a whole review session of the real
app, then every file it wrote is searched for the secrets it handled.

The app runs against the independent platform (review-platform.py) with
HOME, XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_STATE_HOME,
XDG_RUNTIME_DIR and TMPDIR each pointing at a fresh empty folder, and with
GIO's keyfile settings backend (so its settings really are written, into
$XDG_CONFIG_HOME/glib-2.0/settings/keyfile). Driven only by keys, as in
keyboard-test.py (whose Run class this reuses):

  case 1  a                      approve
  case 2  d 5 9 Return           deny, two reasons
  case 3  a, Ctrl+Z, d 2 Return  approve, undone, then denied
  case 4  a                      approve
  e-mail  `edulib-reviewer message.eml` in the running instance: the New
          Case window looks the order up, Return creates the case, it opens
          in the main window, a approves it
  Ctrl+H  the History window (Escape closes it)
  Ctrl+Q  quit: the held decisions are sent before the app exits

Then, with the app gone, the test gathers the secrets from the platform as
a client would (GET /cases/{id}, the photos as served, decrypted with the
openssl command line): every photo's body as served (base64 text) and its
ciphertext, every photo decrypted (the image bytes, also as base64), each
unwrapped AES key, the e-mail (the .eml, and its attachments' bytes), the
private key (its PEM text and DER forms) and the token. Every file under the
seven folders is searched for any run of 64 bytes of a secret (the whole
secret when it is shorter: the token, the AES keys). Needles: the 32-byte
blocks of each secret at offsets 0, 32, 64...: any 64-byte run contains at
least one of them; a block found is extended both ways along its secret and
reported when the common run reaches 64 bytes. Blocks of fewer than 8
distinct byte values (padding, flat runs any file may hold) are not used.

Last, every file found must be mode 0600 and every folder between one of the
seven roots and it mode 0700; the list of files is printed (the outbox and
GSettings' keyfile are expected).

Usage: nodisk-test.py APP [--time-limit=S]
Exit status: 0 pass, 1 fail, 77 skip (no X display, xdotool, import, openssl).
"""

import argparse
import base64
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


sys.path.insert(0, HERE)
from flowlib import load  # noqa: E402


kt = load("keyboard_test", "keyboard-test.py")
log = kt.log
Failure = kt.Failure

# The folders the app is given, each fresh and empty: (variable, folder name).
ROOTS = [("HOME", "home"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"),
         ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state"),
         ("XDG_RUNTIME_DIR", "runtime"), ("TMPDIR", "tmp")]
RUN = 64          # a run of this many bytes of a secret is a leak
BLOCK = RUN // 2  # needles: blocks of this size, every BLOCK bytes of a secret


class NoDiskRun(kt.Run):
    def __init__(self, app):
        super().__init__(app, "nodisk")
        # kt.Run made data/config/cache/state in self.home; the rest here.
        for _, d in ROOTS:
            path = os.path.join(self.home, d)
            os.makedirs(path, exist_ok=True)
            os.chmod(path, 0o700)
        # The e-mail lives outside the app's folders (it is the input).
        self.outside = tempfile.mkdtemp(prefix="er-nodisk-mail-")

    def stop(self):
        super().stop()
        shutil.rmtree(self.outside, ignore_errors=True)

    def app_env(self):
        env = dict(os.environ)
        env["EDULIB_REVIEWER_TOKEN"] = self.token
        env["EDULIB_REVIEWER_KEY_FILE"] = self.key_file
        for var, d in ROOTS:
            env[var] = os.path.join(self.home, d)
        env["GSETTINGS_BACKEND"] = "keyfile"
        env["G_MESSAGES_DEBUG"] = "Reviewer Reviewer-Core"
        return env

    def start_app(self):
        self.app_runs += 1
        label = "app#%d" % self.app_runs
        self.app_started = time.monotonic()
        self.app = subprocess.Popen([self.app_path, "--server=" + self.api], env=self.app_env(),
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, errors="replace")
        threading.Thread(target=self.read_app_output, args=(self.app, label),
                         daemon=True).start()
        self.mark("%s started (pid %d)" % (label, self.app.pid))

    def drop_on_window(self, path):
        """The e-mail opened with `edulib-reviewer FILE` in the running
        instance (the same environment): the New Case window."""
        before = kt.app_windows(self.app.pid)
        self.mark("opening %s with `edulib-reviewer FILE`" % os.path.basename(path))
        subprocess.run([self.app_path, path], env=self.app_env(), timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        win = self.wait_for("the New Case window",
                            lambda: sorted(kt.app_windows(self.app.pid) - before))[0]
        return win, "command line"

    # -- the session

    def session(self):
        mod = kt.platform_module()
        spec = kt.MAILS[0]
        face, ident = kt.draw_mail_photos(mod, spec, 0)
        path, msg_id, received = kt.write_mail(spec, face, ident, self.outside, 0)
        with open(path, "rb") as f:
            self.mail_bytes = f.read()
        self.mail_photos = (face, ident)
        mail = dict(spec, path=path, face_seen=spec["face_color"], id_seen=spec["id_color"])

        seq = self.begin()
        c = self.cases
        self.needs = "approve, deny with reasons, undo"
        self.key("a")                                           # case 1: approve
        seq = self.wait_claim(c[1], seq)
        self.wait_photos(c[1])
        self.deny(["5", "9"])                                   # case 2: deny
        seq = self.wait_claim(c[2], seq)
        self.wait_photos(c[2])
        self.key("a")                                           # case 3: approve...
        seq = self.wait_claim(c[3], seq)
        self.key("ctrl+z")                                      # ...undone
        seq = self.wait_claim(c[2], seq)
        self.wait_photos(c[2])
        self.deny(["2"])                                        # ...denied
        seq = self.wait_claim(c[3], seq)
        self.wait_photos(c[3])
        self.key("a")                                           # case 4: approve
        seq = self.wait_claim(c[4], seq)
        self.wait_photos(c[4])

        self.needs = "an e-mailed case created from the New Case window and approved"
        ev = self.create_from_mail(mail, 201)
        rid = ev["receipt_id"]
        email_case = {"receipt_id": rid, "label": "e-mail case", "expected_name": spec["name"],
                      "photos": "app-encrypted",
                      "colors": {"user_photo": spec["face_color"], "photo_id": spec["id_color"]}}
        self.cases.append(email_case)
        seq = self.wait_claim(email_case, seq)
        self.wait_photos(email_case)
        before = self.last_seq()
        self.key("a")
        self.wait_for("the next case after approving the e-mail case", lambda: [
            e for e in self.events("claim") if e["seq"] > before and e["receipt_id"] != rid])

        self.needs = "Ctrl+H (the History window)"
        windows = kt.app_windows(self.app.pid)
        self.key("ctrl+h")
        history = self.wait_for("the History window",
                                lambda: sorted(kt.app_windows(self.app.pid) - windows))[0]
        self.focus(history)
        # Time for it to ask the platform and fill its list.
        time.sleep(1.0)
        self.key("Escape")
        self.wait_for("the History window to close",
                      lambda: history not in kt.app_windows(self.app.pid))
        self.focus(self.main_window)

        self.needs = "Ctrl+Q: every decision sent, then the app exits"
        self.quit()
        if self.app.returncode != 0:
            raise Failure("the app exited with status %d" % self.app.returncode)
        decided = [e for e in self.events("decision") if not e.get("replay")]
        if len(decided) != 5:
            raise Failure("%d decisions reached the platform, expected 5 (4 cases and the "
                          "e-mail case)" % len(decided))
        log("platform: %d decisions received" % len(decided))
        self.needs = None

        secrets_ = self.gather_secrets(mod)
        self.check_files(secrets_)

    # -- the secrets, gathered as a client of the platform

    def api_get(self, url, token):
        if url.startswith("/"):
            url = self.api + url
        req = urllib.request.Request(url)
        if token:
            # Not carried over a redirect to the storage origin.
            req.add_unredirected_header("Authorization", "Bearer " + self.token)
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.read()

    def gather_secrets(self, mod):
        secrets_ = []   # (what, bytes)

        def add(what, data):
            if data:
                secrets_.append((what, bytes(data)))

        add("the token", self.token.encode())
        with open(self.key_file, "rb") as f:
            pem = f.read()
        add("the private key's PEM text", pem)
        add("the private key (PKCS#1 DER)", base64.b64decode(b"".join(
            line for line in pem.splitlines() if line and not line.startswith(b"-----"))))
        add("the private key (PKCS#8 DER)", mod.run(
            ["openssl", "pkey", "-in", self.key_file, "-outform", "DER"]))
        add("the e-mail (.eml)", self.mail_bytes)
        for what, blob in zip(("face", "ID"), self.mail_photos):
            add("the e-mail's %s attachment" % what, blob)
            add("the e-mail's %s attachment as base64" % what, base64.b64encode(blob))

        for case in self.cases:
            rid = case["receipt_id"]
            body = json.loads(self.api_get("/api/review/v1/cases/%s" % rid, True))
            for kind in ("user_photo", "photo_id"):
                ref = body[kind]
                name = "%s %s" % (case["label"], kind)
                served = self.api_get(ref["url"], ref["url"].startswith("/"))
                add("%s as served" % name, served)
                if ref["key"] is None:
                    image = served
                else:
                    add("%s ciphertext" % name, mod.b64decode_any(served.decode("ascii")))
                    aes = mod.run(["openssl", "pkeyutl", "-decrypt", "-inkey", self.key_file] +
                                  mod.OAEP, mod.b64decode_any(ref["key"]))
                    add("%s AES key" % name, aes)
                    image, _ = mod.decrypt_photo(self.key_file, served.decode("ascii"),
                                                 ref["key"])
                add("%s decrypted" % name, image)
                add("%s decrypted, as base64" % name, base64.b64encode(image))
                add("%s decrypted, as URL-safe base64" % name, base64.urlsafe_b64encode(image))
        total = sum(len(d) for _, d in secrets_)
        log("secrets: %d (%d bytes), from %d cases' photos, the e-mail, the key, the token" %
            (len(secrets_), total, len(self.cases)))
        return secrets_

    # -- the files

    def check_files(self, secrets_):
        started = time.monotonic()
        index = {}
        short = []
        skipped = 0
        for n, (what, data) in enumerate(secrets_):
            if len(data) < RUN:
                short.append(n)
                continue
            for off in range(0, len(data) - BLOCK + 1, BLOCK):
                block = data[off:off + BLOCK]
                if len(set(block)) < 8:
                    skipped += 1
                    continue
                index.setdefault(block, []).append((n, off))

        # The search itself, on a planted copy: 64 bytes of a photo at an
        # offset that is no block boundary are found, 63 are not.
        n, secret = next((i, d) for i, (w, d) in enumerate(secrets_)
                         if w == "case 1 user_photo decrypted")
        planted = self.search(b"x" * 5 + secret[39:39 + RUN] + b"y" * 5, index, secrets_, short)
        if planted != ["%d bytes of %s at offset 5" % (RUN, secrets_[n][0])]:
            raise Failure("the search does not find 64 bytes planted on purpose: %s" % planted)
        if self.search(secret[39:39 + RUN - 1], index, secrets_, short):
            raise Failure("the search reports a run of 63 bytes")

        files, problems, leaks = [], [], []
        for var, d in ROOTS:
            root = os.path.join(self.home, d)
            for folder, dirs, names in os.walk(root):
                for name in sorted(dirs + names):
                    path = os.path.join(folder, name)
                    st = os.lstat(path)
                    rel = "$%s/%s" % (var, os.path.relpath(path, root))
                    mode = stat.S_IMODE(st.st_mode)
                    if stat.S_ISDIR(st.st_mode):
                        if mode != 0o700:
                            problems.append("folder %s is mode %04o, not 0700" % (rel, mode))
                        continue
                    if not stat.S_ISREG(st.st_mode):
                        files.append((rel, st.st_size, mode, "not a regular file"))
                        if mode & 0o077:
                            problems.append("%s (not a regular file) is mode %04o" % (rel, mode))
                        continue
                    files.append((rel, st.st_size, mode, ""))
                    if mode != 0o600:
                        problems.append("%s is mode %04o, not 0600" % (rel, mode))
                    with open(path, "rb") as f:
                        data = f.read()
                    leaks.extend("%s holds %s" % (rel, x)
                                 for x in self.search(data, index, secrets_, short))

        log("files the app kept under its seven folders:")
        for rel, size, mode, note in files:
            print("    %04o %8d  %s%s" % (mode, size, rel, " (%s)" % note if note else ""))
        if not files:
            print("    (none)")
        log("searched %d files for %d needles of %d bytes (%d flat blocks left out) and %d "
            "short secrets in %.2f s" % (len(files), sum(len(v) for v in index.values()),
                                         BLOCK, skipped, len(short),
                                         time.monotonic() - started))
        if not any("edulib-reviewer/outbox/" in rel for rel, _, _, _ in files):
            problems.append("no outbox file under $XDG_DATA_HOME/edulib-reviewer/outbox/: the "
                            "test did not see what the app keeps")
        if leaks or problems:
            raise Failure("\n".join(leaks + problems))
        log("no secret in any file; every file 0600, every folder 0700")

    @staticmethod
    def search(data, index, secrets_, short):
        found = {}
        for n in short:
            what, secret = secrets_[n]
            at = data.find(secret)
            if at >= 0:
                found[n] = (len(secret), at)
        get = index.get
        for i in range(0, len(data) - BLOCK + 1):
            hits = get(data[i:i + BLOCK])
            if not hits:
                continue
            for n, off in hits:
                secret = secrets_[n][1]
                left = 0
                while left < min(i, off) and data[i - left - 1] == secret[off - left - 1]:
                    left += 1
                right = BLOCK
                limit = min(len(data) - i, len(secret) - off)
                while right < limit and data[i + right] == secret[off + right]:
                    right += 1
                length = left + right
                if length >= RUN and length > found.get(n, (0, 0))[0]:
                    found[n] = (length, i - left)
        return ["%d bytes of %s at offset %d" % (length, secrets_[n][0], at)
                for n, (length, at) in sorted(found.items())]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--time-limit", type=float, default=0)
    args = parser.parse_args()

    reason = kt.skip_reason()
    if reason is not None:
        print("SKIP: " + reason)
        return 77

    kt.watch_signals(args.time_limit)

    title = ("a whole session (decisions, undo, an e-mailed case, history, quit) writes no "
             "photo, key, e-mail or token byte, and keeps only 0600 files in 0700 folders")
    return kt.run_session(title, NoDiskRun(args.app))


if __name__ == "__main__":
    sys.exit(main())
