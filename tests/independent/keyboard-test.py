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

The durable outbox (issue 4):

"kill", two scenarios, each with its own platform and app home:
  waiting    case 1 a, case 2 d 5 Return, case 3 a, all within the undo delay;
             nothing has reached the server; the outbox file holds the three
             (no token); SIGKILL; still nothing, past the first one's due time;
             the app again (same XDG home): the three arrive once each, in
             order, and it opens case 4 (no new claim of cases 1-3).
  in-flight  the platform delays decision responses; case 1 a; once the
             platform has applied it (response held), SIGKILL; the restarted
             app sends it again with the same Idempotency-Key, answered as a
             replay of the first response: one decision recorded.
"offline": case 1 shown and cases 2, 3 prefetched; the API origin goes down
  (--down-mode: refuse, the listening socket closed; or drop, connections
  closed unanswered); case 1 a, case 2 d 2 Return, case 3 a (shown from the
  prefetched photos); the offline banner shows (a window screenshot, kept in
  memory); nothing arrives for --down-seconds (default 20); the server is
  back: the three arrive once each, in order, within the sender's longest
  backoff (60 s) and a margin; the banner goes.

Each app run gets a private temporary XDG data/config/cache/state home,
shared by the two runs of a scenario and removed at the end. The kill and
offline flows print a timeline: what the test did, what the server received
and the app's messages.

Between keys the test waits for the server to see the claim of the case that
must open next, and for that case's two photos to be on screen (their
colours are unique, so a screenshot tells which photos the app decrypted and
shows). It sleeps only to assert that nothing happens during a span.

Usage: keyboard-test.py APP [--flow=full|deny-skip|kill|offline]
                            [--only=waiting|in-flight] [--down-seconds=S]
                            [--down-mode=refuse|drop]
Exit status: 0 pass, 1 fail, 77 skip (no X display or no xdotool).
"""

import argparse
import faulthandler
import json
import os
import glob
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
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
MAX_BACKOFF = 60.0         # the sender's longest wait between two attempts
QUEUE_POLL = 15.0          # the app refreshes its queue this often


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


def process_state(pid):
    """The kernel's state letter and wait channel of a process (D: in I/O)."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        with open("/proc/%d/wchan" % pid) as f:
            return "%s, waiting in %s" % (state, f.read().strip() or "-")
    except OSError:
        return "unknown"


# ---------------------------------------------------------------- X helpers

def xdotool(*args, timeout=10):
    p = subprocess.run(["xdotool"] + list(args), capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0 and args[0] != "search":
        raise Failure("xdotool %s failed: %s" % (" ".join(args), p.stderr.strip()))
    return p.stdout.split()


def app_windows(pid):
    """Visible top-level windows of the app's process."""
    return set(xdotool("search", "--onlyvisible", "--pid", str(pid)))


def screenshot(window="root"):
    """A window (default: the root) as (width, height, RGB bytes); never
    written to disk."""
    p = subprocess.run(["import", "-window", str(window), "-depth", "8", "ppm:-"],
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


def banner_pixels(width, height, rgb):
    """Pixels (every other column) of the offline banner's tint: libadwaita's
    warning colour at 30 % over the window's light background, a pale amber
    that no theme surface and no fixture photo has."""
    total = 0
    row = 3 * width
    for y in range(height):
        line = rgb[y * row:(y + 1) * row]
        for x in range(0, row, 6):
            r, g, b = line[x], line[x + 1], line[x + 2]
            if r >= 230 and 205 <= g <= 238 and 150 <= b <= 200 and r - b >= 40:
                total += 1
    return total


# ---------------------------------------------------------------- the run

class Run:
    def __init__(self, app, flow):
        self.app_path = app
        self.flow = flow
        self.token = "indep-" + secrets.token_urlsafe(24)
        self.platform = None
        self.app = None
        self.app_runs = 0
        self.app_lines = []        # (monotonic time, "app#N", line) of the app's output
        self.marks = []            # (monotonic time, what the test did) for the timeline
        # A private home for the app's XDG directories, shared by the app
        # runs of this Run (the outbox survives a restart) and by nothing
        # else; removed at the end.
        self.home = tempfile.mkdtemp(prefix="er-indep-home-")
        for d in ("data", "config", "cache", "state"):
            os.mkdir(os.path.join(self.home, d))
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
        if len(line) != 5 or line[0] != "READY":
            raise Failure("the independent platform did not start (said %r)" % line)
        _, self.api, self.storage, self.key_file, self.control = line
        log("platform ready at %s (storage %s, test control %s)" %
            (self.api, self.storage, self.control))

    def mark(self, what):
        self.marks.append((time.monotonic(), what))
        log(what)

    def start_app(self):
        env = dict(os.environ)
        env["EDULIB_REVIEWER_TOKEN"] = self.token
        env["EDULIB_REVIEWER_KEY_FILE"] = self.key_file
        for d in ("data", "config", "cache", "state"):
            env["XDG_%s_HOME" % d.upper()] = os.path.join(self.home, d)
        # The app's own debug messages, for the timeline of a failure.
        env["G_MESSAGES_DEBUG"] = "Reviewer Reviewer-Core"
        self.app_runs += 1
        label = "app#%d" % self.app_runs
        self.app = subprocess.Popen([self.app_path, "--server=" + self.api], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, errors="replace")
        threading.Thread(target=self.read_app_output, args=(self.app, label),
                         daemon=True).start()
        self.mark("%s started (pid %d)" % (label, self.app.pid))

    def read_app_output(self, proc, label):
        for line in proc.stdout:
            self.app_lines.append((time.monotonic(), label, line.rstrip("\n")))

    def kill_app(self):
        """SIGKILL: no handler runs, nothing is flushed or sent."""
        self.app.send_signal(signal.SIGKILL)
        try:
            self.app.wait(10)
        except subprocess.TimeoutExpired:
            raise Failure("the app did not end 10 s after SIGKILL (process state %s)" %
                          process_state(self.app.pid)) from None
        self.mark("app#%d killed with SIGKILL (exit status %d)" %
                  (self.app_runs, self.app.returncode))
        self.app = None
        self.main_window = None

    def stop(self):
        for p in (self.app, self.platform):
            if p is not None and p.poll() is None:
                p.terminate()
                try:
                    p.wait(5)
                except subprocess.TimeoutExpired:
                    p.kill()
                    try:
                        p.wait(10)
                    except subprocess.TimeoutExpired:
                        print("process %d (%s) did not end 10 s after SIGKILL (state %s)" %
                              (p.pid, p.args[0], process_state(p.pid)), flush=True)
        shutil.rmtree(self.home, ignore_errors=True)

    def settings(self, **settings):
        """The platform's test switches (down, slow_decisions_ms)."""
        req = urllib.request.Request(self.control + "/_test/settings",
                                     data=json.dumps(settings).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as r:
            json.load(r)
        self.mark("platform: %s" % ", ".join("%s=%s" % kv for kv in settings.items()))

    # -- the server's record

    def record(self):
        with urllib.request.urlopen(self.control + "/_test/record", timeout=10) as r:
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
        self.find_window()
        self.wait_photos(self.cases[0])
        return seq

    def find_window(self):
        self.main_window = self.wait_for(
            "the app's window", lambda: sorted(app_windows(self.app.pid)))[0]
        self.focus(self.main_window)
        log("window %s focused" % self.main_window)

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

    # -- issue 4: the durable outbox

    def decisions(self, after=0):
        return [e for e in self.events("decision") if e["seq"] > after]

    def name(self, rid):
        for c in self.cases:
            if c["receipt_id"] == rid:
                return "%s (%s)" % (c["label"], c["expected_name"])
        return rid

    def decide_keys(self, case, expected, result, digits=None):
        """Approves (a) or denies (d digits Return) the open case, remembers
        what the server must receive, and returns the time of the key."""
        if result == "PASS":
            self.key("a")
            expected.append((case, "PASS", "", self.keys[-1][0]))
        else:
            self.deny(list(digits))
            expected.append((case, "FAIL", reasons_for(digits), self.keys[-1][0]))
        return expected[-1][3]

    def expect_no_decision(self, why):
        got = self.decisions()
        if got:
            raise Failure("a decision reached the server %s: %s" % (
                why, "; ".join("%s at %+.2f s" % (self.name(e["receipt_id"]), self.rel(e["time"]))
                               for e in got)))

    def watch_no_decision(self, until, why, offline_since=None):
        """Asserts, until the monotonic time `until`, that no decision arrives
        and that the app stays up."""
        while time.monotonic() < until:
            self.expect_no_decision(why)
            if self.app is not None and self.app.poll() is not None:
                raise Failure("the app exited (status %s) %s" % (self.app.returncode, why))
            time.sleep(0.1)
        self.expect_no_decision(why)

    def rel(self, wall):
        """A server time (wall clock) as seconds since the test started."""
        return wall - (time.time() - time.monotonic()) - START

    def outbox_text(self):
        files = sorted(glob.glob(os.path.join(self.home, "data", "edulib-reviewer", "outbox",
                                              "*.json")))
        return files, "".join(open(f, encoding="utf-8", errors="replace").read() for f in files)

    def check_outbox_holds(self, cases):
        """Issue 4: every decision is on disk before its undo delay is over."""
        files, text = self.outbox_text()
        if not files:
            raise Failure("no outbox file under $XDG_DATA_HOME/edulib-reviewer/outbox/ while "
                          "%d decisions wait for their undo delay (found: %s)" % (
                              len(cases), sorted(os.listdir(os.path.join(self.home, "data")))))
        missing = [c["label"] for c in cases if c["receipt_id"] not in text]
        if missing:
            raise Failure("the outbox (%s) does not hold the decisions on %s" %
                          (", ".join(os.path.basename(f) for f in files), ", ".join(missing)))
        if self.token in text:
            raise Failure("the outbox file holds the agent's token")
        size = sum(os.path.getsize(f) for f in files)
        if size > 64 * 1024:
            raise Failure("the outbox is %d bytes for %d decisions: does it hold photos?" %
                          (size, len(cases)))
        log("outbox: %s holds the %d decisions (%d bytes, no token)" %
            (", ".join(os.path.basename(f) for f in files), len(cases), size))

    def wait_decisions(self, n, what, timeout, after=0):
        def enough():
            got = self.decisions(after)
            return got if len(got) >= n else None
        got = self.wait_for(what, enough, timeout=timeout)
        for e in got:
            log("server: decision on %s -> %s%s at %+.2f s, key %s" % (
                self.name(e["receipt_id"]), e["status"], " (replay)" if e.get("replay") else "",
                self.rel(e["time"]), e["idempotency_key"]))
        return got

    def wait_open_after_restart(self, case, after, not_again):
        """Waits for the restarted app's claim of `case`; fails at once on a
        claim of a case it decided before (it must not be offered again)."""
        banned = {c["receipt_id"]: c for c in not_again}

        def claimed():
            for e in self.events("claim"):
                if e["seq"] <= after:
                    continue
                if e["receipt_id"] in banned:
                    raise Failure("the restarted app claimed %s again, although its decision "
                                  "was in the outbox (a case decided before must never be "
                                  "offered again)" % self.name(e["receipt_id"]))
                if e["receipt_id"] == case["receipt_id"]:
                    return e
                raise Failure("the restarted app opened %s first, expected %s" %
                              (self.name(e["receipt_id"]), case["label"]))
            return None
        e = self.wait_for("the restarted app's claim of %s" % case["label"], claimed)
        log("server: claim of %s -> %d (restarted app)" % (case["label"], e["status"]))
        return e["seq"]

    def wait_prefetched(self, cases):
        """Waits until the server has served every photo of these cases."""
        want = {"storage": {("storage", False)}, "redirect": {("api", True), ("storage", False)},
                "api": {("api", False)}, "clear": {("api", False)}}

        def fetched():
            events = self.events("photo")
            for c in cases:
                for kind, serve in c["photos"].items():
                    got = {(e["origin"], bool(e.get("redirected"))) for e in events
                           if e["receipt_id"] == c["receipt_id"] and e["photo"] == kind}
                    if not want[serve] <= got:
                        return False
            return True
        self.wait_for("the prefetch of %s" % ", ".join(c["label"] for c in cases), fetched)
        log("server: every photo of %s served (prefetched)" %
            ", ".join(c["label"] for c in cases))

    def window_banner(self):
        w, h, rgb = screenshot(self.main_window)
        return banner_pixels(w, h, rgb)

    def verify_outbox(self, expected, replays=(), restart_seq=None, not_reclaimed=(),
                      claimed_expected=True):
        """The verdict of the outbox flows: every decision exactly once, in
        the order taken, with its body; a replay only where the response of
        the first request was lost (`replays`: cases), with the same key."""
        rec = self.record()
        events = rec["events"]
        problems = []
        name = self.name
        if self.app is not None and self.app.returncode not in (0, None):
            problems.append("the app exited with status %d" % self.app.returncode)

        decisions = [e for e in events if e["kind"] == "decision"]
        first = [e for e in decisions if not e.get("replay")]
        got = [(name(e["receipt_id"]), e["body"]) for e in first]
        want = [(name(c["receipt_id"]), {"EdX-ID": c["receipt_id"], "Result": result,
                                         "Reason": reason, "MessageType": ""})
                for c, result, reason, _ in expected]
        if got != want:
            problems.append("decisions applied by the server (in order) differ from the "
                            "decisions taken:\n  received:\n%s\n  expected:\n%s" % (
                                "\n".join("    %s %s" % (n, json.dumps(b, ensure_ascii=False))
                                          for n, b in got) or "    (none)",
                                "\n".join("    %s %s" % (n, json.dumps(b, ensure_ascii=False))
                                          for n, b in want)))
            if sorted(map(json.dumps, got)) == sorted(map(json.dumps, want)):
                problems.append("the right decisions arrived, but not in the order taken")
            counts = {}
            for n, _ in got:
                counts[n] = counts.get(n, 0) + 1
            for n, k in counts.items():
                if k > 1:
                    problems.append("%s was decided %d times" % (n, k))
        for e in first:
            if e["status"] != 200:
                problems.append("decision on %s answered %s: %s" % (
                    name(e["receipt_id"]), e["status"], e.get("problems") or e.get("raw")))
            if e["content_type"] != "application/json":
                problems.append("decision on %s sent as %r" % (name(e["receipt_id"]),
                                                               e["content_type"]))
        keys = [e["idempotency_key"] for e in first]
        if len(set(keys)) != len(keys):
            problems.append("Idempotency-Keys reused across decisions: %s" % keys)

        replay_ids = {c["receipt_id"] for c in replays}
        for e in decisions:
            if not e.get("replay"):
                continue
            orig = [x for x in first if x["idempotency_key"] == e["idempotency_key"]]
            if e["receipt_id"] not in replay_ids:
                problems.append("the decision on %s was sent twice (the second, at %+.2f s, "
                                "was answered as a replay): it had been delivered already" %
                                (name(e["receipt_id"]), self.rel(e["time"])))
            elif not orig or orig[0]["body"] != e["body"]:
                problems.append("the replay for %s does not repeat its first request" %
                                name(e["receipt_id"]))
        for c in replays:
            rid = c["receipt_id"]
            mine = [e for e in decisions if e["receipt_id"] == rid]
            if len(mine) < 2:
                problems.append("the decision on %s, whose response was lost when the app was "
                                "killed, was not sent again after the restart (requests: %d)" %
                                (name(rid), len(mine)))
                continue
            keys = {e["idempotency_key"] for e in mine}
            if len(keys) != 1:
                problems.append("the decision on %s was sent again with another Idempotency-Key "
                                "(%s): the platform would record it twice" %
                                (name(rid), ", ".join(e["idempotency_key"] for e in mine)))
            if sum(1 for e in mine if not e.get("replay")) != 1:
                problems.append("the platform applied the decision on %s %d times" %
                                (name(rid), sum(1 for e in mine if not e.get("replay"))))
            for e in mine[1:]:
                if e["status"] != mine[0]["status"]:
                    problems.append("the repeat for %s was answered %s, the first %s" %
                                    (name(rid), e["status"], mine[0]["status"]))

        if restart_seq is not None:
            for e in events:
                if e["seq"] > restart_seq and e["kind"] == "claim" and \
                        e["receipt_id"] in {c["receipt_id"] for c in not_reclaimed}:
                    problems.append("the restarted app claimed %s (decided before the kill) "
                                    "again" % name(e["receipt_id"]))
        if claimed_expected:
            for e in first:
                claims = [x for x in events if x["kind"] == "claim" and x["status"] == 200 and
                          x["receipt_id"] == e["receipt_id"] and x["seq"] < e["seq"]]
                if not claims:
                    problems.append("%s was decided without being claimed first" %
                                    name(e["receipt_id"]))

        # Delivered decisions leave the outbox.
        files, text = self.outbox_text()
        left = [name(c["receipt_id"]) for c, *_ in expected if c["receipt_id"] in text]
        if left:
            problems.append("delivered decisions are still in the outbox (%s): %s" %
                            (", ".join(os.path.basename(f) for f in files), ", ".join(left)))
        # Nothing still claimed by the agent once it quit.
        for c in rec["cases"]:
            claim = c["claim"]
            if claim and claim["agent"] == rec["agent"] and claim["expires"] > time.time():
                problems.append("%s is still claimed by the app after it quit" %
                                name(c["receipt_id"]))
        for e in events:
            if e["kind"] == "storage_authorization":
                problems.append("the storage origin received an Authorization header (%s)" %
                                e["path"])
            elif e["kind"] == "unauthenticated":
                problems.append("request without the right token: %s %s" % (e["method"], e["path"]))
            elif e["kind"] == "unexpected":
                problems.append("request the contract does not define: %s %s (%s)" %
                                (e["method"], e["path"], e["origin"]))
        if problems:
            raise Failure("what the server received is wrong:\n- " + "\n- ".join(problems))
        log("server record OK: %d decision%s, each applied once, in the order taken%s" % (
            len(first), "" if len(first) == 1 else "s",
            "; repeated with the same key and answered with the first response"
            if replays else ""))

    def timeline(self):
        """The server's record, the test's actions and the app's messages, merged."""
        try:
            rec = self.record()
        except Exception as e:   # the platform itself may be gone
            print("(server record unavailable: %s)" % e)
            rec = {"events": []}
        rows = [(t - START, "test  ", what) for t, what in self.marks]
        rows += [(t - START, "keys  ", "typed %s" % k) for t, k in self.keys]
        for e in rec["events"]:
            if e["kind"] in ("photo", "list"):
                continue
            desc = self.name(e["receipt_id"]) if e.get("receipt_id") else ""
            if e["kind"] == "decision":
                extra = " -> %s%s key=%s %s" % (
                    e["status"], " (replay)" if e.get("replay") else "", e["idempotency_key"],
                    json.dumps(e["body"], ensure_ascii=False))
                if e.get("answer_delayed_ms"):
                    if e.get("answered_at"):
                        extra += " [response written at %+.2f s]" % self.rel(e["answered_at"])
                    elif e.get("answer_failed"):
                        extra += " [response failed: %s]" % e["answer_failed"]
                    else:
                        extra += " [response still held]"
            elif e["kind"] == "claim":
                extra = " -> %s" % e["status"]
            elif e["kind"] == "release":
                extra = " (claim was held)" if e["held"] else " (nothing held)"
            elif e["kind"] == "server":
                extra = e["state"]
            elif e["kind"] == "dropped":
                extra = "%s %s (closed unanswered)" % (e["method"], e["path"])
            else:
                extra = e.get("path", "")
            rows.append((self.rel(e["time"]), "server", "#%d %s %s%s" % (
                e["seq"], e["kind"], desc, extra)))
        rows += [(t - START, a, line) for t, a, line in self.app_lines
                 if "-DEBUG" not in line or "outbox" in line.lower() or
                 "send" in line.lower()]
        print("--- timeline (seconds since the test started):")
        for t, who, what in sorted(rows, key=lambda r: r[0]):
            print("  %7.2f %-6s %s" % (t, who, what))

    def kill_waiting(self):
        """Killed (SIGKILL) while three decisions wait for their undo delay,
        then started again: each arrives once, in order; case 4 opens."""
        seq = self.begin()
        c = self.cases
        expected = []
        self.needs = "decisions written to the outbox before the undo delay starts"
        first = self.decide_keys(c[0], expected, "PASS")             # case 1: a
        seq = self.wait_claim(c[1], seq)
        self.decide_keys(c[1], expected, "FAIL", "5")                # case 2: d 5 Return
        seq = self.wait_claim(c[2], seq)
        self.decide_keys(c[2], expected, "PASS")                     # case 3: a
        seq = self.wait_claim(c[3], seq)
        first_due = first + UNDO_DELAY
        self.expect_no_decision("within the undo delay")
        log("server: no decision yet, %.2f s after the first key" % (time.monotonic() - first))
        self.check_outbox_holds(c[0:3])
        if time.monotonic() > first_due - 0.3:
            raise Failure("the test took %.2f s to type the three decisions, longer than the "
                          "undo delay: too slow a machine for this scenario" %
                          (time.monotonic() - first))
        self.kill_app()
        self.watch_no_decision(max(time.monotonic() + 1.0, first_due + 0.5),
                               "after the app was killed")
        log("server: still no decision, %.2f s after the first was due" %
            (time.monotonic() - first_due))

        restart_seq = self.last_seq()
        self.needs = "on start, the outbox is sent and its cases are not offered again"
        self.start_app()
        self.wait_open_after_restart(c[3], restart_seq, not_again=c[0:3])
        self.wait_decisions(3, "the three decisions from the outbox",
                            UNDO_DELAY + STEP_TIMEOUT, after=restart_seq)
        self.find_window()
        self.wait_photos(c[3])
        self.quit()
        self.needs = "every decision exactly once, in order, after a SIGKILL"
        self.verify_outbox(expected, restart_seq=restart_seq, not_reclaimed=c[0:3])

    def kill_in_flight(self):
        """Killed while a decision request is under way (the platform applied
        it but holds its response): the restarted app sends it again with the
        same Idempotency-Key and the platform answers with the first response."""
        seq = self.begin()
        c = self.cases
        expected = []
        self.settings(slow_decisions_ms=120000)
        self.decide_keys(c[0], expected, "PASS")                     # case 1: a
        seq = self.wait_claim(c[1], seq)
        self.wait_photos(c[1])
        self.needs = "the decision sent once its undo delay is over"
        ev = self.wait_for("the decision on case 1 (response held by the platform)",
                           lambda: self.decisions(), timeout=UNDO_DELAY + STEP_TIMEOUT)[0]
        log("server: decision on case 1 applied at %+.2f s (key %s); its response is held" %
            (self.rel(ev["time"]), ev["idempotency_key"]))
        self.kill_app()
        killed = time.time()
        ev = self.decisions()[0]
        if ev.get("answered_at") or ev.get("answer_failed"):
            raise Failure("the platform answered the decision before the kill (%s)" % ev)
        self.settings(slow_decisions_ms=0)  # the held response goes to a dead connection
        ev = self.wait_for("the held response to be written",
                           lambda: [e for e in self.decisions()
                                    if e.get("answered_at") or e.get("answer_failed")])[0]
        if ev.get("answered_at"):
            log("server: the held response was written %.2f s after the kill, to a dead "
                "connection" % (ev["answered_at"] - killed))
        else:
            log("server: the held response could not be written after the kill (%s)" %
                ev["answer_failed"])

        restart_seq = self.last_seq()
        self.needs = "a decision whose outcome is unknown is sent again with its Idempotency-Key"
        self.start_app()
        self.wait_open_after_restart(c[1], restart_seq, not_again=c[0:1])
        self.wait_decisions(1, "the decision on case 1 sent again",
                            STEP_TIMEOUT, after=restart_seq)
        self.find_window()
        self.wait_photos(c[1])
        self.quit()
        self.verify_outbox(expected, replays=c[0:1], restart_seq=restart_seq,
                           not_reclaimed=c[0:1])

    def offline(self, down_seconds, mode):
        """The API origin down for down_seconds while decisions are taken,
        including on the prefetched next cases: all arrive once it is back."""
        seq = self.begin()
        c = self.cases
        expected = []
        self.wait_prefetched(c[1:3])
        base = self.window_banner()
        log("screen: %d pixels of the banner's tint before the server goes down" % base)

        self.settings(down=mode)
        down_at = time.monotonic()
        self.needs = "reviewing the prefetched cases while the server is down"
        self.decide_keys(c[0], expected, "PASS")                     # case 1: a
        self.wait_photos(c[1])
        self.decide_keys(c[1], expected, "FAIL", "2")                # case 2: d 2 Return
        self.wait_photos(c[2])
        self.decide_keys(c[2], expected, "PASS")                     # case 3 (prefetched): a
        last_due = expected[-1][3] + UNDO_DELAY

        self.needs = "the offline banner (the server cannot be reached)"
        seen = {}

        def banner():
            seen["n"] = self.window_banner()
            return seen["n"] > base + 2000
        try:
            self.wait_for("the offline banner", banner,
                          timeout=max(0, expected[0][3] + UNDO_DELAY - time.monotonic()) +
                          STEP_TIMEOUT)
        except Failure as e:
            raise Failure("%s: the window shows no offline banner (%d pixels of its tint, %d "
                          "before)" % (e, seen.get("n", -1), base)) from None
        self.mark("screen: offline banner shown (%d pixels of its tint); app running" %
                  seen["n"])
        self.needs = "decisions kept while the server is down"
        self.watch_no_decision(max(last_due + 1.0, down_at + down_seconds),
                               "while the server is down")
        if self.app.poll() is not None:
            raise Failure("the app exited while the server was down")
        self.mark("server down for %.1f s: no decision arrived, the app is running" %
                  (time.monotonic() - down_at))

        self.settings(down=None)
        up_at = time.monotonic()
        self.needs = "decisions sent when the server is back (backoff at most %.0f s)" % \
            MAX_BACKOFF
        got = self.wait_decisions(len(expected), "the decisions taken offline",
                                  MAX_BACKOFF + STEP_TIMEOUT)
        self.mark("all %d decisions arrived %.2f s after the server came back" %
                  (len(got), time.monotonic() - up_at))
        self.needs = "the offline banner going away once the server answers"

        def no_banner():
            seen["n"] = self.window_banner()
            return seen["n"] <= base + 2000
        try:
            self.wait_for("the offline banner to go", no_banner, timeout=QUEUE_POLL + STEP_TIMEOUT)
        except Failure as e:
            raise Failure("%s (%d pixels of its tint, %d before)" % (e, seen["n"], base)) from None
        self.mark("screen: offline banner gone")
        self.quit()
        self.needs = "every decision taken offline exactly once, in order"
        self.verify_outbox(expected, claimed_expected=False)
        claims = {e["receipt_id"] for e in self.events("claim") if e["status"] == 200}
        unclaimed = [c["label"] for c, *_ in expected if c["receipt_id"] not in claims]
        if unclaimed:
            log("note: %s decided without a claim (it could not be taken offline)" %
                ", ".join(unclaimed))

    def quit(self):
        self.quit_time = time.monotonic()
        self.key("ctrl+q")
        try:
            self.app.wait(UNDO_DELAY * 3)
        except subprocess.TimeoutExpired:
            raise Failure("the app did not exit within %.0f s of Ctrl+Q" % (UNDO_DELAY * 3))
        self.exit_time = time.monotonic()
        self.mark("app exited with status %d, %.2f s after Ctrl+Q" %
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


def run_one(app, flow, title, body):
    """One scenario with its own platform and its own app home."""
    print("=== %s" % title, flush=True)
    run = Run(app, flow)
    try:
        body(run)
        log("PASS: %s" % title)
        return True
    except Failure as e:
        print("FAIL: %s\n%s" % (title, e), flush=True)
        if run.needs:
            print("(this step exercises %s)" % run.needs)
        if flow in ("full", "deny-skip"):
            run.dump()
        return False
    finally:
        if flow not in ("full", "deny-skip"):
            run.timeline()
        run.stop()
        if flow in ("full", "deny-skip") and run.app_lines:
            print("--- app output:")
            for t, who, line in run.app_lines[-150:]:
                print("  %7.2f %s %s" % (t - START, who, line))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--flow", choices=["full", "deny-skip", "kill", "offline"],
                        default="full")
    parser.add_argument("--down-seconds", type=float, default=20.0,
                        help="offline: how long the server stays down (default 20)")
    parser.add_argument("--down-mode", choices=["refuse", "drop"], default="refuse",
                        help="offline: connections refused (the listening socket closed), "
                             "or accepted and closed unanswered")
    parser.add_argument("--only", choices=["waiting", "in-flight"],
                        help="kill: one of the two scenarios")
    parser.add_argument("--time-limit", type=float, default=0,
                        help="fail (with the timeline) after this many seconds, before the "
                             "harness's own timeout kills the test without one")
    args = parser.parse_args()

    if not os.environ.get("DISPLAY"):
        print("SKIP: no X display (run under xvfb-run, see build-aux/test)")
        return 77
    for tool in ("xdotool", "import", "openssl"):
        if shutil.which(tool) is None:
            print("SKIP: %s is not installed" % tool)
            return 77

    # Killed (meson's timeout, or anyone else): say where each thread was,
    # then unwind so that the app and the platform are stopped and the
    # private home is removed.
    def terminated(signum, frame):
        log("received signal %d: stopping" % signum)
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminated)
    faulthandler.register(signal.SIGTERM, all_threads=True, chain=True)

    def out_of_time(signum, frame):
        faulthandler.dump_traceback(all_threads=True)
        raise Failure("the test ran out of its time limit (%.0f s) here" % args.time_limit)
    if args.time_limit > 0:
        signal.signal(signal.SIGALRM, out_of_time)
        signal.setitimer(signal.ITIMER_REAL, args.time_limit)

    if args.flow == "full":
        scenarios = [("keyboard review", Run.full)]
    elif args.flow == "deny-skip":
        scenarios = [("keyboard review, deny and skip only", Run.deny_skip)]
    elif args.flow == "kill":
        scenarios = [
            ("killing the app with SIGKILL while decisions wait, then starting it again: "
             "every decision arrives once", Run.kill_waiting),
            ("killing the app with SIGKILL while a decision request is in flight: it is sent "
             "again with the same Idempotency-Key and recorded once", Run.kill_in_flight),
        ]
        if args.only:
            scenarios = scenarios[:1] if args.only == "waiting" else scenarios[1:]
    else:
        scenarios = [("with the server down for %.0f s (%s): the decisions arrive after it "
                      "returns" % (args.down_seconds, args.down_mode),
                      lambda run: run.offline(args.down_seconds, args.down_mode))]

    results = []
    for title, body in scenarios:
        try:
            results.append(run_one(args.app, args.flow, title, body))
        except Failure as e:     # out of time while cleaning up
            print("FAIL: %s\n%s" % (title, e), flush=True)
            results.append(False)
    if not all(results):
        log("FAIL: %d of %d scenarios failed" % (results.count(False), len(results)))
        return 1
    log("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
