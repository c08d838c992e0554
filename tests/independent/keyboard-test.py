#!/usr/bin/env python3
"""Keyboard-only end-to-end test against an independent server.

Starts review-platform.py (an independent implementation of the Review API
v1 serving photos encrypted as Open edX stores them), starts the app signed
in from the environment, and drives it the way an agent would: only keys,
typed through the X server with `xdotool key` (XTEST) into the focused
window. Then it checks what the server received, in order.

The flow ("full", the default):

  case 1  a                 approve
  case 2  s                 skip: its claim is released, no decision
  case 3  d 5 9 Return      deny: photoIdReasons Text not clear, ID name not provided
  case 4  a, Ctrl+Z         approve, undone before it is sent: the case reopens
          d 2 Return        deny: userPhotoReasons Face out of view
  case 5  a                 approve
  case 6  (a colleague claims it first: 409 claimed_by_other, the app moves on)
  case 2  Ctrl+Q            quit: every held decision is sent before the app exits

"deny-skip" is the same idea with only the keys that need no undo (s, d).

Between keys the test waits for the server to see the claim of the case that
must open next, and for that case's two photos to be on screen (their
colours are unique, so a screenshot tells which photos the app decrypted and
shows). It never sleeps a fixed time.

Usage: keyboard-test.py APP [--flow=full|deny-skip]
Exit status: 0 pass, 1 fail, 77 skip (no X display or no xdotool).
"""

import argparse
import json
import os
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
START = time.monotonic()

REASON_KEYS = {  # digit -> (group, reason), the deny dialog's order
    "1": ("userPhotoReasons", "Image not clear"),
    "2": ("userPhotoReasons", "Face out of view"),
    "3": ("userPhotoReasons", "Photo not provided"),
    "4": ("photoIdReasons", "Not provided"),
    "5": ("photoIdReasons", "Text not clear"),
    "6": ("photoIdReasons", "Photo hidden/No photo"),
    "7": ("photoIdReasons", "Invalid Id"),
    "8": ("photoIdReasons", "No text"),
    "9": ("photoIdReasons", "ID name not provided"),
}
GROUP_ORDER = ["userPhotoReasons", "photoIdReasons", "generalReasons"]
UNDO_DELAY = 5.0           # the app's default undo delay, seconds
STEP_TIMEOUT = 15.0        # for anything the app should do "at once"


def log(msg):
    print("[%6.2fs] %s" % (time.monotonic() - START, msg), flush=True)


class Failure(Exception):
    pass


def reasons_for(digits):
    groups = {}
    for d in digits:
        group, reason = REASON_KEYS[d]
        groups.setdefault(group, []).append(reason)
    return [{g: groups[g]} for g in GROUP_ORDER if g in groups]


# ---------------------------------------------------------------- X helpers

def xdotool(*args, timeout=10):
    p = subprocess.run(["xdotool"] + list(args), capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0 and args[0] != "search":
        raise Failure("xdotool %s failed: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout.split()


def app_windows(pid):
    """Visible top-level windows of the app's process."""
    return set(xdotool("search", "--onlyvisible", "--pid", str(pid)))


def screenshot():
    """The root window as (width, height, RGB bytes); never written to disk."""
    p = subprocess.run(["import", "-window", "root", "-depth", "8", "ppm:-"],
                       capture_output=True, timeout=20)
    if p.returncode != 0:
        raise Failure("import (ImageMagick) could not take a screenshot: %s" %
                      p.stderr.decode(errors="replace"))
    data = p.stdout
    # P6\n<w> <h>\n<max>\n<bytes>
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    pos += 1
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[pos:pos + 3 * w * h]


def colour_pixels(rgb, colour, tolerance=1):
    """How many pixels have this colour (each channel within tolerance)."""
    total = 0
    r0, g0, b0 = colour
    for r in range(r0 - tolerance, r0 + tolerance + 1):
        for g in range(g0 - tolerance, g0 + tolerance + 1):
            for b in range(b0 - tolerance, b0 + tolerance + 1):
                if 0 <= r < 256 and 0 <= g < 256 and 0 <= b < 256:
                    total += rgb.count(bytes((r, g, b)))
    return total


# ---------------------------------------------------------------- the run

class Run:
    def __init__(self, app, flow):
        self.app_path = app
        self.flow = flow
        self.token = "indep-" + secrets.token_urlsafe(24)
        self.platform = None
        self.app = None
        self.app_log = tempfile.TemporaryFile(mode="w+")
        self.main_window = None
        self.keys = []             # (monotonic time, key) typed
        self.quit_time = None
        self.needs = None          # the feature the current step exercises
        self.cases = []
        self.exit_time = None

    # -- processes

    def start_platform(self):
        self.platform = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "review-platform.py"), "--token", self.token],
            stdout=subprocess.PIPE, text=True)
        line = self.platform.stdout.readline().split()
        if len(line) != 4 or line[0] != "READY":
            raise Failure("the independent platform did not start (said %r)" % line)
        _, self.api, self.storage, self.key_file = line
        log("platform ready at %s (storage %s)" % (self.api, self.storage))

    def start_app(self):
        env = dict(os.environ)
        env["EDULIB_REVIEWER_TOKEN"] = self.token
        env["EDULIB_REVIEWER_KEY_FILE"] = self.key_file
        self.app = subprocess.Popen([self.app_path, "--server=" + self.api], env=env,
                                    stdout=self.app_log, stderr=subprocess.STDOUT)
        log("app started (pid %d)" % self.app.pid)

    def stop(self):
        for p in (self.app, self.platform):
            if p is not None and p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()

    # -- the server's record

    def record(self):
        with urllib.request.urlopen(self.api + "/_test/record", timeout=10) as r:
            return json.load(r)

    def events(self, kind=None):
        return [e for e in self.record()["events"] if kind is None or e["kind"] == kind]

    def last_seq(self):
        ev = self.record()["events"]
        return ev[-1]["seq"] if ev else 0

    def wait_for(self, what, predicate, timeout=STEP_TIMEOUT):
        deadline = time.monotonic() + timeout
        while True:
            if self.app is not None and self.app.poll() is not None and self.quit_time is None:
                raise Failure("the app exited (status %s) while waiting for %s" %
                              (self.app.returncode, what))
            result = predicate()
            if result:
                return result
            if time.monotonic() > deadline:
                raise Failure("timed out after %.0f s waiting for %s" % (timeout, what))
            time.sleep(0.05)

    def wait_claim(self, case, after, status=200):
        """Waits for the server to see a claim of case after event seq `after`."""
        def seen():
            for e in self.events("claim"):
                if e["seq"] > after and e["receipt_id"] == case["receipt_id"]:
                    if e["status"] != status:
                        raise Failure("the claim of %s got %s, expected %s" %
                                      (case["expected_name"], e["status"], status))
                    return e
            return None
        e = self.wait_for("the claim of %s (%s)" % (case["label"], case["expected_name"]), seen)
        log("server: claim of %s -> %d" % (case["label"], e["status"]))
        return e["seq"]

    def wait_photos(self, case):
        """Waits until both photos of the case are on screen, decrypted."""
        colours = case["colors"]

        def shown():
            _, _, rgb = screenshot()
            counts = {k: colour_pixels(rgb, colours[k]) for k in ("user_photo", "photo_id")}
            self.photo_counts = counts
            return all(n >= 1500 for n in counts.values())
        try:
            self.wait_for("both photos of %s" % case["label"], shown)
        except Failure as e:
            raise Failure("%s: the photos of %s (%s) are not on screen (pixels of their "
                          "colours: %s; served as %s)" %
                          (e, case["label"], case["expected_name"], self.photo_counts,
                           case["photos"])) from None
        log("screen: both photos of %s shown (%s)" % (case["label"], self.photo_counts))

    # -- keys

    def focus(self, window):
        # No window manager under Xvfb: set the X input focus directly, as a
        # window manager would when a window is presented.
        xdotool("windowfocus", "--sync", window)

    def key(self, *keys):
        for k in keys:
            self.keys.append((time.monotonic(), k))
            xdotool("key", "--delay", "40", k)
        log("typed %s" % " ".join(keys))

    def open_deny_dialog(self):
        """Types d; returns the new window, focused (as a window manager would)."""
        before = app_windows(self.app.pid)
        self.key("d")
        dialog = self.wait_for("the deny dialog",
                               lambda: sorted(app_windows(self.app.pid) - before))[0]
        self.focus(dialog)
        return dialog

    def close_deny_dialog(self, dialog, *keys):
        self.key(*keys)
        self.wait_for("the deny dialog to close",
                      lambda: dialog not in app_windows(self.app.pid))
        self.focus(self.main_window)

    def deny(self, digits):
        self.close_deny_dialog(self.open_deny_dialog(), *digits, "Return")

    # -- flows

    def begin(self):
        self.start_platform()
        rec = self.record()
        self.cases = rec["cases"]
        for i, c in enumerate(self.cases):
            c["label"] = "case %d" % (i + 1)
        self.start_app()
        seq = self.wait_claim(self.cases[0], 0)
        self.main_window = self.wait_for(
            "the app's window", lambda: sorted(app_windows(self.app.pid)))[0]
        self.focus(self.main_window)
        log("window %s focused" % self.main_window)
        self.wait_photos(self.cases[0])
        return seq

    def full(self):
        seq = self.begin()
        c = self.cases
        expected = []

        self.needs = "the a key (approve)"
        self.key("a")                                          # case 1: approve
        expected.append((c[0], "PASS", "", self.keys[-1][0]))
        seq = self.wait_claim(c[1], seq)
        self.wait_photos(c[1])

        self.key("s")                                          # case 2: skip
        seq = self.wait_claim(c[2], seq)
        self.wait_photos(c[2])

        self.deny(["5", "9"])                                  # case 3: deny
        expected.append((c[2], "FAIL", reasons_for("59"), self.keys[-1][0]))
        seq = self.wait_claim(c[3], seq)
        self.wait_photos(c[3])

        self.key("a")                                          # case 4: approve...
        seq = self.wait_claim(c[4], seq)
        self.needs = "Ctrl+Z (undo the latest held decision; the case reopens)"
        self.key("ctrl+z")                                     # ...undone
        seq = self.wait_claim(c[3], seq)
        self.wait_photos(c[3])
        self.needs = None
        self.deny(["2"])                                       # ...denied
        expected.append((c[3], "FAIL", reasons_for("2"), self.keys[-1][0]))
        seq = self.wait_claim(c[4], seq)
        self.wait_photos(c[4])

        self.key("a")                                          # case 5: approve
        expected.append((c[4], "PASS", "", self.keys[-1][0]))
        seq = self.wait_claim(c[5], seq, status=409)           # case 6: a colleague has it
        seq = self.wait_claim(c[1], seq)                       # back to the skipped case 2
        self.wait_photos(c[1])

        self.quit()
        self.needs = "decisions held for the undo delay, sent in order, all sent on Ctrl+Q"
        self.check(expected, skipped=[c[1]], never_decided=[c[1], c[5]],
                   undone=[c[3]], held=True)

    def deny_skip(self):
        seq = self.begin()
        c = self.cases
        expected = []

        self.key("s")                                          # case 1: skip
        seq = self.wait_claim(c[1], seq)
        self.wait_photos(c[1])

        self.deny(["5", "9"])                                  # case 2: deny
        expected.append((c[1], "FAIL", reasons_for("59"), self.keys[-1][0]))
        seq = self.wait_claim(c[2], seq)
        self.wait_photos(c[2])

        self.deny(["2", "7"])                                  # case 3: deny, two groups
        expected.append((c[2], "FAIL", reasons_for("27"), self.keys[-1][0]))
        seq = self.wait_claim(c[3], seq)
        self.wait_photos(c[3])

        self.close_deny_dialog(self.open_deny_dialog(), "3", "Escape")  # case 4: cancelled
        self.deny(["1"])                                       # then denied
        expected.append((c[3], "FAIL", reasons_for("1"), self.keys[-1][0]))
        seq = self.wait_claim(c[4], seq)
        self.wait_photos(c[4])

        self.quit()
        self.check(expected, skipped=[c[0]], never_decided=[c[0], c[4], c[5]], undone=[],
                   held=False)

    def quit(self):
        self.quit_time = time.monotonic()
        self.key("ctrl+q")
        try:
            self.app.wait(UNDO_DELAY * 3)
        except subprocess.TimeoutExpired:
            raise Failure("the app did not exit within %.0f s of Ctrl+Q" % (UNDO_DELAY * 3))
        self.exit_time = time.monotonic()
        log("app exited with status %d, %.2f s after Ctrl+Q" %
            (self.app.returncode, self.exit_time - self.quit_time))

    # -- the verdict

    def check(self, expected, skipped, never_decided, undone, held):
        rec = self.record()             # right after exit: what arrived before it
        events = rec["events"]
        by_id = {c["receipt_id"]: c for c in self.cases}
        problems = []

        def name(rid):
            c = by_id.get(rid)
            return "%s (%s)" % (c["label"], c["expected_name"]) if c else rid

        if self.app.returncode != 0:
            problems.append("the app exited with status %d" % self.app.returncode)

        decisions = [e for e in events if e["kind"] == "decision"]
        got = [(name(e["receipt_id"]), e["body"]) for e in decisions]
        want = [(name(c["receipt_id"]), {"EdX-ID": c["receipt_id"], "Result": result,
                                         "Reason": reason, "MessageType": ""})
                for c, result, reason, _ in expected]
        if got != want:
            problems.append("decisions received (in order) differ from the expected ones:\n"
                            "  received:\n%s\n  expected:\n%s" % (
                                "\n".join("    %s %s" % (n, json.dumps(b, ensure_ascii=False))
                                          for n, b in got) or "    (none)",
                                "\n".join("    %s %s" % (n, json.dumps(b, ensure_ascii=False))
                                          for n, b in want)))
            if sorted(map(json.dumps, got)) == sorted(map(json.dumps, want)):
                problems.append("the right decisions arrived, but not in the order they were "
                                "taken (are held decisions sent one at a time, in order?)")
        for e in decisions:
            if e["status"] != 200 or e.get("replay"):
                problems.append("decision on %s answered %s%s: %s" % (
                    name(e["receipt_id"]), e["status"], " (a replay)" if e.get("replay") else "",
                    e.get("problems") or ""))
            if e["content_type"] != "application/json":
                problems.append("decision on %s sent as %r" % (name(e["receipt_id"]),
                                                               e["content_type"]))
            if not e.get("held_claim", True):
                problems.append("decision on %s arrived while the app held no claim on it" %
                                name(e["receipt_id"]))
        keys = [e["idempotency_key"] for e in decisions]
        if len(set(keys)) != len(keys):
            problems.append("Idempotency-Keys reused across decisions: %s" % keys)

        # Claimed before decided.
        for e in decisions:
            claims = [x for x in events if x["kind"] == "claim" and x["status"] == 200 and
                      x["receipt_id"] == e["receipt_id"] and x["seq"] < e["seq"]]
            if not claims:
                problems.append("%s was decided without being claimed first" %
                                name(e["receipt_id"]))

        # Held for the undo delay, unless Ctrl+Q sent it sooner.
        times = {e["receipt_id"]: e["time"] for e in decisions}
        wall_offset = time.time() - time.monotonic()
        for c, result, _, typed in expected:
            if not held or c["receipt_id"] not in times:
                continue
            sent = times[c["receipt_id"]] - wall_offset
            earliest = min(typed + UNDO_DELAY - 0.5, self.quit_time)
            if sent < earliest:
                problems.append("the decision on %s arrived %.2f s after its key, before the "
                                "undo delay (%.0f s) and before Ctrl+Q" %
                                (name(c["receipt_id"]), sent - typed, UNDO_DELAY))

        # Undone decisions never reached the server as approvals.
        for c in undone:
            for e in decisions:
                if e["receipt_id"] == c["receipt_id"] and (e["body"] or {}).get("Result") == "PASS":
                    problems.append("the undone approval of %s reached the server" %
                                    name(c["receipt_id"]))
        for c in never_decided:
            if any(e["receipt_id"] == c["receipt_id"] for e in decisions):
                problems.append("%s got a decision but should have none" % name(c["receipt_id"]))

        # Skipped cases: claimed, then released (204 with the claim held).
        for c in skipped:
            rid = c["receipt_id"]
            rel = [e for e in events if e["kind"] == "release" and e["receipt_id"] == rid]
            if not any(e["held"] for e in rel):
                problems.append("the claim of skipped %s was never released" % name(rid))
        # Nothing still claimed by the agent once it quit.
        for c in rec["cases"]:
            claim = c["claim"]
            if claim and claim["agent"] == rec["agent"] and claim["expires"] > time.time():
                problems.append("%s is still claimed by the app after it quit" %
                                name(c["receipt_id"]))

        # Photos came from where the cases said: the storage origin (directly
        # or by a redirect from the API origin) or the API origin.
        claimed = {e["receipt_id"] for e in events if e["kind"] == "claim" and e["status"] == 200}
        for c in rec["cases"]:
            if c["receipt_id"] not in claimed:
                continue
            for kind, serve in c["photos"].items():
                fetched = {(e["origin"], bool(e.get("redirected"))) for e in events
                           if e["kind"] == "photo" and e["receipt_id"] == c["receipt_id"] and
                           e["photo"] == kind}
                want = {"storage": {("storage", False)},
                        "redirect": {("api", True), ("storage", False)},
                        "api": {("api", False)}, "clear": {("api", False)}}[serve]
                if not want <= fetched:
                    problems.append("%s of %s (%s) was not fetched as %s" % (
                        kind, name(c["receipt_id"]), serve, sorted(want)))

        # Contract hygiene.
        for e in events:
            if e["kind"] == "storage_authorization":
                problems.append("the storage origin received an Authorization header (%s)" %
                                e["path"])
            elif e["kind"] == "unauthenticated":
                problems.append("request without the right token: %s %s" % (e["method"], e["path"]))
            elif e["kind"] == "unexpected":
                problems.append("request the contract does not define: %s %s (%s)" %
                                (e["method"], e["path"], e["origin"]))
            elif e["kind"] == "list" and e["status"] != 200 and e["status"] != 304:
                problems.append("bad listing query %s" % e["query"])

        if problems:
            raise Failure("what the server received is wrong:\n- " + "\n- ".join(problems))
        log("server record OK: %d decisions in order, %d claims, %d releases, "
            "%d photo fetches, no Authorization at the storage origin" % (
                len(decisions), sum(e["kind"] == "claim" for e in events),
                sum(e["kind"] == "release" for e in events),
                sum(e["kind"] == "photo" for e in events)))

    def dump(self):
        """What the server received, for a failure report."""
        try:
            rec = self.record()
        except Exception as e:   # the platform itself may be gone
            print("(server record unavailable: %s)" % e)
            return
        names = {c["receipt_id"]: "case %d (%s)" % (i + 1, c["expected_name"])
                 for i, c in enumerate(rec["cases"])}
        print("--- server record, in arrival order (photo fetches and listings left out):")
        for e in rec["events"]:
            if e["kind"] in ("photo", "list"):
                continue
            desc = names.get(e.get("receipt_id"), "")
            extra = ""
            if e["kind"] == "decision":
                extra = " key=%s body=%s" % (e["idempotency_key"],
                                             json.dumps(e["body"], ensure_ascii=False))
            elif e["kind"] == "release":
                extra = " (claim was held)" if e["held"] else " (nothing held)"
            print("  #%d %s %s %s%s" % (e["seq"], e["kind"], desc,
                                        e.get("status", e.get("path", "")), extra))
        print("--- keys typed:", " ".join(k for _, k in self.keys))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--flow", choices=["full", "deny-skip"], default="full")
    args = parser.parse_args()

    if not os.environ.get("DISPLAY"):
        print("SKIP: no X display (run under xvfb-run, see build-aux/test)")
        return 77
    for tool in ("xdotool", "import", "openssl"):
        if shutil.which(tool) is None:
            print("SKIP: %s is not installed" % tool)
            return 77

    run = Run(args.app, args.flow)
    try:
        if args.flow == "full":
            run.full()
        else:
            run.deny_skip()
        log("PASS")
        return 0
    except Failure as e:
        print("FAIL: %s" % e, flush=True)
        if run.needs:
            print("(this step exercises %s)" % run.needs)
        run.dump()
        return 1
    finally:
        run.stop()
        run.app_log.seek(0)
        output = run.app_log.read()
        if output.strip():
            print("--- app output:\n" + output[-6000:])


if __name__ == "__main__":
    sys.exit(main())
