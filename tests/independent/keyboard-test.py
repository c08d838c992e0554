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
          d 2 Return        deny: generalReasons EdX name not provided
  case 5  a                 approve
  case 6  (a colleague claims it first: 409 claimed_by_other, the app moves on)
  case 2  Ctrl+Q            quit: every held decision is sent before the app exits

"deny-skip" is the same idea with only the keys that need no undo (s, d).

The durable outbox (issue 4):

"kill", two scenarios, each with its own platform and app home:
  waiting    case 1 d 5 Return, case 2 a, case 3 a, all within the undo delay
             (the denial first, and the app's undo-delay set to 10 s through
             GIO's keyfile settings backend: the views of 0.8 s that issue 9
             needs no longer fit in 5 s on a loaded machine);
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

"email" (issue 5): three .eml files written with Python's standard `email`
  package as Thunderbird (text/plain, PNG attachments with RFC 2231 names),
  Gmail (multipart/alternative, JPEG attachments with RFC 2047 names) and
  Outlook on the web (HTML only, inline images in multipart/related, the
  invoice only in the HTML) write them, each with its own synthetic face and
  ID card. Each is dragged from drag-source (--drag-source, a GTK 4 window
  offering a GdkFileList) onto the app's window with XTEST pointer events;
  the New Case window looks the order up, Return creates the case, it opens
  in the main window, `a` approves it. The first message is dropped a second
  time before it is approved: the platform answers 200 with the same case.
  The platform decrypts the photos with openssl: their SHA-256 must be the
  attachments' (face and ID the right way round), each case approved once,
  and a manual verification recorded for each learner. Should the drag not
  reach the app, the file is opened with `edulib-reviewer FILE` in the
  running instance instead, and the output says FALLBACK.

Issue 9 (a decision only on a case the agent saw; reads retried at once).
Every flow waits VIEW_WAIT (min-view-time's 500 ms default plus a margin)
after it has seen both photos of a case before a decision key.

"flaky": the platform answers --fail-rate (default 0.25) of ALL requests,
  API and photo storage, with 503 (not applied; --seed); the time from the
  app's first request to the first case's photos on screen is printed as
  STARTUP beside its goal (--startup-goal, 5 s) and the time from the
  process start (which also counts GTK's own start-up); it fails only past
  --startup-limit (12 s: the reads were not retried at once but left to the
  queue's next poll, 15 s; a loaded machine must not fail a timing goal,
  which the figure shows); then case 1 a, case 2 d 5
  Return, case 3 a, case 4 d 2 7 Return, case 5 a; once all are applied,
  Ctrl+Q; each decision applied exactly once, in order, with its body
  (idempotent replays counted, printed as FAULTS with the 503 counts).
"guard" (12 cases), each part reported on its own, the run going on:
  (a) a a typed 80 ms apart decides exactly one case; (c) the window made
  400 px wide, Alt+Left shows the queue: a sends nothing, d opens no
  window and d 1 Return denies nothing within 2 s, then the window is wide
  again; (d) d opens the deny panel in the main window (its red Deny button
  seen), 5, Tab until the panel's Cancel button shows the focus ring,
  Return: nothing sent, the panel closed; (b) xdotool keydown a, 2 s, keyup: at most one case decided;
  (e) a second scenario: the app started with another valid RSA key
  (openssl genpkey): no claim and no photo fetch within 5 s.
  "Decided" is read from the platform's record at once: after a decision
  the app claims the next case; all decisions are checked after Ctrl+Q.

Usage: keyboard-test.py APP [--flow=full|deny-skip|kill|offline|email|flaky|guard]
                            [--drag-source=PROGRAM] [--fail-rate=F] [--seed=N]
                            [--startup-limit=S]
                            [--only=waiting|in-flight] [--down-seconds=S]
                            [--down-mode=refuse|drop]
Exit status: 0 pass, 1 fail, 77 skip (no X display or no xdotool).
"""

import argparse
import datetime
import hashlib
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

REASON_KEYS = {  # digit -> (group, reason), the deny panel's order (issue 13:
    # the most decisive first, er_reason_display_order(); the learner
    # photo's three reasons have no digit)
    "1": ("generalReasons", "Name mismatch"),
    "2": ("generalReasons", "EdX name not provided"),
    "3": ("generalReasons", "Photo/ID Photo mismatch"),
    "4": ("photoIdReasons", "Not provided"),
    "5": ("photoIdReasons", "Text not clear"),
    "6": ("photoIdReasons", "Photo hidden/No photo"),
    "7": ("photoIdReasons", "Invalid Id"),
    "8": ("photoIdReasons", "No text"),
    "9": ("photoIdReasons", "ID name not provided"),
}
GROUP_ORDER = ["userPhotoReasons", "photoIdReasons", "generalReasons"]
UNDO_DELAY = 5.0           # the app's default undo delay, seconds
# kill "waiting" takes three decisions, two of them after a view of
# VIEW_WAIT, within one undo delay: it gives the app a longer one (GSettings
# key undo-delay, through the keyfile backend in the app's private home).
KILL_UNDO_DELAY = 10.0
STEP_TIMEOUT = 15.0        # for anything the app should do "at once"
MAX_BACKOFF = 60.0         # the sender's longest wait between two attempts
QUEUE_POLL = 15.0          # the app refreshes its queue this often
# Issue 9: a decision key counts only once both photos of the case have been
# visible for the GSettings key min-view-time (default 500 ms); earlier it
# shows a toast and decides nothing. The test waits this long after it has
# seen both photos on screen (measured from the start of the screenshot that
# showed them) before it types a decision key (a, d): the default plus a
# margin for a loaded machine.
MIN_VIEW_TIME = 0.5        # min-view-time's default, seconds
VIEW_WAIT = MIN_VIEW_TIME + 0.3
DECISION_KEYS = ("a", "d")


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


def focus_ring_pixels(width, height, rgb, x0, y0, x1, y1):
    """Pixels in the box that have the accent blue of GTK's focus ring
    (libadwaita's accent colour at 50 %% over a light surface), which no
    widget of the deny panel's button row has otherwise."""
    total = 0
    row = 3 * width
    for y in range(y0, min(y1, height)):
        line = rgb[y * row + 3 * x0:y * row + 3 * min(x1, width)]
        for i in range(0, len(line), 3):
            r, g, b = line[i], line[i + 1], line[i + 2]
            if b >= 180 and b - r >= 50 and g - r >= 15:
                total += 1
    return total


def deny_button_rows(width, height, rgb):
    """The rows (top, bottom) of the deny panel's red Deny button, or None.
    The panel's buttons are its last row, Deny at the right, whether it is
    beside the photos or below them; with the panel closed, the right end
    of the window holds no red button (Approve is there, Deny… left of it).
    A button, not a red patch of a photo: a block 20 to 50 rows high with
    at least 30 red pixels a row (its label is white) between 120 and 30
    pixels from the right edge (where the case's own Deny… button never
    is), clear of red just above and below."""
    x0, x1 = max(0, width - 120), max(0, width - 30)
    row = 3 * width

    def red_count(y):
        line = rgb[y * row + 3 * x0:y * row + 3 * x1]
        n = 0
        for i in range(0, len(line), 3):
            r, g, b = line[i], line[i + 1], line[i + 2]
            # The destructive red, or its paler insensitive form (no
            # reason chosen yet).
            if r >= 170 and r - g >= 60 and r - b >= 60:
                n += 1
        return n

    runs = [red_count(y) for y in range(height)]
    y = height // 3
    while y < height:
        if runs[y] >= 30:
            top = y
            while y < height and runs[y] >= 30:
                y += 1
            bottom = y - 1
            clear = all(runs[j] < 10 for j in range(max(0, top - 8), max(0, top - 2))) and \
                all(runs[j] < 10 for j in range(min(height, bottom + 3), min(height, bottom + 9)))
            if 20 <= bottom - top + 1 <= 50 and clear:
                return top, bottom
        y += 1
    return None


def names_or_none(items):
    return ", ".join(items) if items else "nothing"


# ---------------------------------------------------------------- the run

class Run:
    def __init__(self, app, flow):
        self.app_path = app
        self.flow = flow
        self.token = "indep-" + secrets.token_urlsafe(24)
        self.platform = None
        self.app = None
        self.app_runs = 0
        self.display_retries = 0  # apps started again: the X display refused them
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
        self.viewed_at = None      # when the photos of the open case were first seen
        self.platform_args = []    # more review-platform.py options (--fail-rate, --cases)
        self.key_file_override = None   # a key file for the app other than the platform's
        self.app_started = None    # monotonic time just before the app's process started
        self.undo_delay = None     # an undo-delay setting for the app (None: its default)

    # -- processes

    def start_platform(self):
        self.platform = subprocess.Popen(
            [sys.executable, os.path.join(HERE, "review-platform.py"), "--token", self.token] +
            self.platform_args, stdout=subprocess.PIPE, text=True)
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
        env["EDULIB_REVIEWER_KEY_FILE"] = self.key_file_override or self.key_file
        for d in ("data", "config", "cache", "state"):
            env["XDG_%s_HOME" % d.upper()] = os.path.join(self.home, d)
        # The app's own debug messages, for the timeline of a failure.
        env["G_MESSAGES_DEBUG"] = "Reviewer Reviewer-Core"
        if self.undo_delay is not None:
            # GIO's keyfile backend instead of the memory one: the setting
            # is read from $XDG_CONFIG_HOME/glib-2.0/settings/keyfile.
            folder = os.path.join(self.home, "config", "glib-2.0", "settings")
            os.makedirs(folder, exist_ok=True)
            with open(os.path.join(folder, "keyfile"), "w", encoding="utf-8") as f:
                f.write("[com/edulib/Reviewer]\nundo-delay=%d\n" % self.undo_delay)
            env["GSETTINGS_BACKEND"] = "keyfile"
        self.app_runs += 1
        label = "app#%d" % self.app_runs
        self.app_started = time.monotonic()
        self.app = subprocess.Popen([self.app_path, "--server=" + self.api], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, errors="replace")
        threading.Thread(target=self.read_app_output, args=(self.app, label),
                         daemon=True).start()
        self.mark("%s started (pid %d)" % (label, self.app.pid))

    def display_refused(self):
        """The app that just exited could not open the X display (seen once
        in CI, the X server busy with another test): the test's machinery,
        not the app. It is started again, twice at most, and the timeline
        says so."""
        label = "app#%d" % self.app_runs
        if self.display_retries >= 2 or time.monotonic() - self.app_started > 10:
            return False
        time.sleep(0.2)  # the reader thread takes its last lines
        if not any(l == label and "cannot open display" in text for _, l, text in self.app_lines):
            return False
        self.display_retries += 1
        self.mark("%s could not open the X display: started again" % label)
        time.sleep(1)
        self.start_app()
        return True

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
                if self.display_refused():
                    continue
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

    def wait_photos(self, case, timeout=STEP_TIMEOUT):
        """Waits until both photos of the case are on screen, decrypted.
        Returns the monotonic time at which the screenshot that showed them
        began (they were on screen then), also kept in self.viewed_at."""
        colours = case["colors"]
        seen = {}

        def shown():
            started = time.monotonic()
            _, _, rgb = screenshot(self.main_window or "root")
            # Exact colours first (one pass each); the tolerant count only
            # when that is not enough.
            counts = {k: colour_pixels(rgb, colours[k], tolerance=0)
                      for k in ("user_photo", "photo_id")}
            if not all(n >= 1500 for n in counts.values()):
                counts = {k: colour_pixels(rgb, colours[k]) for k in ("user_photo", "photo_id")}
            self.photo_counts = counts
            if all(n >= 1500 for n in counts.values()):
                seen["at"] = started
                return True
            return False
        try:
            self.wait_for("both photos of %s" % case["label"], shown, timeout=timeout)
            self.viewed_at = seen["at"]
        except Failure as e:
            raise Failure("%s: the photos of %s (%s) are not on screen (pixels of their "
                          "colours: %s; served as %s)" %
                          (e, case["label"], case["expected_name"], self.photo_counts,
                           case["photos"])) from None
        log("screen: both photos of %s shown (%s)" % (case["label"], self.photo_counts))
        return seen["at"]

    # -- keys

    def focus(self, window):
        # No window manager under Xvfb: set the X input focus directly, as a
        # window manager would when a window is presented.
        xdotool("windowfocus", "--sync", window)

    def dwell(self):
        """Issue 9: lets the photos seen last be visible for VIEW_WAIT before
        a decision key."""
        if self.viewed_at is not None:
            left = self.viewed_at + VIEW_WAIT - time.monotonic()
            if left > 0:
                time.sleep(left)

    def key(self, *keys):
        for k in keys:
            if k in DECISION_KEYS:
                self.dwell()
            self.keys.append((time.monotonic(), k))
            xdotool("key", "--delay", "40", k)
        log("typed %s" % " ".join(keys))

    def deny_panel_shown(self):
        """Whether the deny panel is on screen in the main window (its red
        Deny button seen in a screenshot, never written to disk)."""
        w, h, rgb = screenshot(self.main_window)
        return deny_button_rows(w, h, rgb) is not None

    def open_deny_panel(self):
        """Types d; the deny panel opens in the main window, no new window."""
        before = app_windows(self.app.pid)
        self.key("d")
        self.wait_for("the deny panel", self.deny_panel_shown)
        new = sorted(app_windows(self.app.pid) - before)
        if new:
            raise Failure("d opened a window (%s): the reasons must be beside the photos, "
                          "in the main window" % new)

    def close_deny_panel(self, *keys):
        self.key(*keys)
        self.wait_for("the deny panel to close", lambda: not self.deny_panel_shown())

    def deny(self, digits):
        self.open_deny_panel()
        self.close_deny_panel(*digits, "Return")

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

        self.open_deny_panel()                                 # case 4: cancelled
        self.close_deny_panel("3", "Escape")
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
            elif e["kind"] == "order":
                extra = "GET /orders/%s -> %s %s" % (e["invoice_number"], e["status"],
                                                     e.get("verification_status", ""))
            elif e["kind"] == "manual_case":
                extra = "POST /manual-cases %s -> %s%s%s key=%s%s" % (
                    (e.get("body") or {}).get("invoice_number"), e["status"],
                    " existing" if e.get("existing") else "",
                    " (replay)" if e.get("replay") else "",
                    e["idempotency_key"], " %s" % e["problems"] if e.get("problems") else "")
                if e.get("photos"):
                    extra += " photos: %s" % ", ".join(
                        "%s %d bytes sha256 %s…" % (k, v["size"], v["sha256"][:12])
                        for k, v in e["photos"].items())
            elif e["kind"] == "manual_verification":
                extra = "for %s (%s)" % (e["username"], e["invoice_number"])
            elif e["kind"] == "fault":
                extra = " %s %s %s -> 503 (not applied)" % (e["origin"], e["method"], e["path"])
            else:
                extra = e.get("path", "")
            rows.append((self.rel(e["time"]), "server", "#%d %s %s%s" % (
                e["seq"], e["kind"], desc, extra)))
        words = ("outbox", "send", "manual", "mail", "case", "order", "drop", "drag")
        rows += [(t - START, a, line) for t, a, line in self.app_lines
                 if "-DEBUG" not in line or any(w in line.lower() for w in words)]
        print("--- timeline (seconds since the test started):")
        for t, who, what in sorted(rows, key=lambda r: r[0]):
            print("  %7.2f %-6s %s" % (t, who, what))

    def kill_waiting(self):
        """Killed (SIGKILL) while three decisions wait for their undo delay,
        then started again: each arrives once, in order; case 4 opens."""
        self.undo_delay = KILL_UNDO_DELAY
        seq = self.begin()
        c = self.cases
        expected = []
        self.needs = "decisions written to the outbox before the undo delay starts"
        # The denial first: its panel takes no time out of the undo delay.
        first = self.decide_keys(c[0], expected, "FAIL", "5")        # case 1: d 5 Return
        seq = self.wait_claim(c[1], seq)
        self.wait_photos(c[1])                                       # issue 9: seen first
        self.decide_keys(c[1], expected, "PASS")                     # case 2: a
        seq = self.wait_claim(c[2], seq)
        self.wait_photos(c[2])
        self.decide_keys(c[2], expected, "PASS")                     # case 3: a
        seq = self.wait_claim(c[3], seq)
        first_due = first + KILL_UNDO_DELAY
        log("the three decisions typed in %.2f s (undo delay %.0f s)" %
            (time.monotonic() - first, KILL_UNDO_DELAY))
        if time.monotonic() > first_due - 0.3:
            raise Failure("the test took %.2f s to type the three decisions, longer than the "
                          "undo delay: too slow a machine for this scenario" %
                          (time.monotonic() - first))
        self.expect_no_decision("within the undo delay")
        log("server: no decision yet, %.2f s after the first key" % (time.monotonic() - first))
        self.check_outbox_holds(c[0:3])
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
                            KILL_UNDO_DELAY + STEP_TIMEOUT, after=restart_seq)
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

    # -- issue 5: cases from e-mails

    def app_env(self):
        env = dict(os.environ)
        env["EDULIB_REVIEWER_TOKEN"] = self.token
        env["EDULIB_REVIEWER_KEY_FILE"] = self.key_file
        for d in ("data", "config", "cache", "state"):
            env["XDG_%s_HOME" % d.upper()] = os.path.join(self.home, d)
        env["G_MESSAGES_DEBUG"] = "Reviewer Reviewer-Core"
        return env

    def geometry(self, window):
        out = subprocess.run(["xdotool", "getwindowgeometry", "--shell", str(window)],
                             capture_output=True, text=True, timeout=10).stdout
        g = dict(line.split("=", 1) for line in out.split() if "=" in line)
        return int(g["X"]), int(g["Y"]), int(g["WIDTH"]), int(g["HEIGHT"])

    def drag(self, path):
        """Drags the file from drag-source onto the middle of the main window
        with XTEST pointer events. Returns what drag-source said at the end
        ("DRAG-END 0", "DRAG-CANCEL 1", ...) or None."""
        src = subprocess.Popen([self.drag_source, path], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, errors="replace")
        said = []

        def read():
            for line in src.stdout:
                said.append(line.rstrip("\n"))
                self.app_lines.append((time.monotonic(), "drag", line.rstrip("\n")))
        threading.Thread(target=read, daemon=True).start()
        try:
            self.wait_for("drag-source to show its window",
                          lambda: any(s.startswith("READY") for s in said))
            window = self.wait_for("drag-source's window", lambda: sorted(set(xdotool(
                "search", "--onlyvisible", "--pid", str(src.pid)))))[0]
            # No window manager: place it ourselves, beside the app's window.
            sx, sy = 1240, 740
            xdotool("windowmove", "--sync", window, str(sx - 60), str(sy - 60))
            x, y, w, h = self.geometry(self.main_window)
            tx, ty = x + w // 2, y + h // 2
            if x <= sx < x + w and y <= sy < y + h:
                raise Failure("the app's window (%dx%d at %d,%d) covers the drag source" %
                              (w, h, x, y))
            self.mark("drag: %s from drag-source at %d,%d to the app's window at %d,%d" %
                      (os.path.basename(path), sx, sy, tx, ty))
            xdotool("mousemove", "--sync", str(sx), str(sy))
            xdotool("mousedown", "1")
            # Past GTK's drag threshold, then wait for the drag to begin.
            for i in range(1, 4):
                xdotool("mousemove", str(sx - 8 * i), str(sy - 8 * i))
                time.sleep(0.03)
            try:
                self.wait_for("the drag to begin", lambda: "DRAG-BEGIN" in said, timeout=5)
            except Failure:
                xdotool("mouseup", "1")
                return None
            steps = 24
            for i in range(1, steps + 1):
                px = sx - 24 + (tx - sx + 24) * i // steps
                py = sy - 24 + (ty - sy + 24) * i // steps
                xdotool("mousemove", str(px), str(py))
                time.sleep(0.03)
            # A few small moves over the target (XdndPosition / XdndStatus).
            for dx in (3, -3, 0):
                xdotool("mousemove", str(tx + dx), str(ty))
                time.sleep(0.05)
            xdotool("mouseup", "1")
            try:
                end = self.wait_for("the end of the drag", lambda: [
                    s for s in said if s.startswith(("DRAG-END", "DRAG-CANCEL"))], timeout=10)
            except Failure:
                return None
            self.mark("drag: drag-source says %s" % end[0])
            return end[0]
        finally:
            src.terminate()
            try:
                src.wait(5)
            except subprocess.TimeoutExpired:
                src.kill()
                src.wait(5)

    def drop_on_window(self, path):
        """The e-mail dropped on the main window; returns (New Case window, how)."""
        before = app_windows(self.app.pid)

        def new_window():
            return sorted(app_windows(self.app.pid) - before)
        end = self.drag(path)
        if end is not None:
            try:
                win = self.wait_for("the New Case window after the drop", new_window,
                                    timeout=STEP_TIMEOUT)[0]
                self.drops.append("drag")
                self.mark("the drop opened the New Case window %s" % win)
                return win, "drag"
            except Failure:
                pass
        self.mark("FALLBACK: the drag did not reach the app (drag-source: %s); opening the "
                  "file with `edulib-reviewer %s` in the running instance instead" %
                  (end, os.path.basename(path)))
        self.drops.append("fallback")
        subprocess.run([self.app_path, path], env=self.app_env(), timeout=30,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        win = self.wait_for("the New Case window (opened from the command line)", new_window)[0]
        return win, "fallback"

    def create_from_mail(self, m, expect_status):
        """Drops the mail, waits for the order lookup, presses Return (Create
        Case) and returns the platform's manual_case event."""
        after = self.last_seq()
        win, how = self.drop_on_window(m["path"])
        self.focus(win)
        self.needs = "the New Case window finding %s in the %s message" % (m["invoice"],
                                                                          m["style"])

        def order_seen():
            return [e for e in self.events("order") if e["seq"] > after]
        orders = self.wait_for("GET /orders/%s" % m["invoice"], order_seen)
        if orders[0]["invoice_number"] != m["invoice"]:
            raise Failure("the app looked up %s, the %s message's invoice is %s" %
                          (orders[0]["invoice_number"], m["style"], m["invoice"]))
        log("server: GET /orders/%s -> %s (%s)" % (m["invoice"], orders[0]["status"],
                                                  orders[0].get("verification_status")))

        # Return is "Create Case" once the previews are decoded; before
        # that it does nothing. Press it until the upload starts.
        self.needs = "Return creating the case (GET /keys/verification, POST /manual-cases)"

        def started():
            return [e for e in self.events() if e["seq"] > after and
                    e["kind"] in ("verification_key", "manual_case")]
        for attempt in range(12):
            self.key("Return")
            try:
                self.wait_for("the upload to start", started, timeout=1.5)
                break
            except Failure:
                if win not in app_windows(self.app.pid):
                    raise Failure("the New Case window closed on Return without any "
                                  "request") from None
        else:
            raise Failure("12 presses of Return in the New Case window started no upload")

        def posted():
            return [e for e in self.events("manual_case") if e["seq"] > after]
        ev = self.wait_for("POST /manual-cases", posted, timeout=STEP_TIMEOUT)[0]
        log("server: POST /manual-cases -> %s%s receipt %s" % (
            ev["status"], " (existing)" if ev.get("existing") else "", ev.get("receipt_id")))
        if ev["status"] != expect_status:
            raise Failure("POST /manual-cases for the %s message answered %s (%s), expected %s" %
                          (m["style"], ev["status"], ev.get("problems"), expect_status))
        self.wait_for("the New Case window to close",
                      lambda: win not in app_windows(self.app.pid))
        self.focus(self.main_window)
        return ev

    def refuse_mail(self, m):
        """A message whose order allows no case: Return sends nothing, Escape
        closes the window."""
        after = self.last_seq()
        win, how = self.drop_on_window(m["path"])
        self.focus(win)
        self.needs = "no case for an order that allows none (%s)" % m["why"]

        def order_seen():
            return [e for e in self.events("order") if e["seq"] > after]
        e = self.wait_for("GET /orders/%s" % m["invoice"], order_seen)[0]
        log("server: GET /orders/%s -> %s (%s)" % (e["invoice_number"], e["status"],
                                                  e.get("verification_status")))
        if e["invoice_number"] != m["invoice"]:
            raise Failure("the app looked up %s, the message's invoice is %s" %
                          (e["invoice_number"], m["invoice"]))
        # Time for the previews to decode (as the created cases needed), then
        # Return must still do nothing.
        self.key("Return")
        until = time.monotonic() + 3.0
        while time.monotonic() < until:
            sent = [x for x in self.events() if x["seq"] > after and
                    x["kind"] in ("verification_key", "manual_case")]
            if sent:
                raise Failure("Return in the New Case window for the %s (%s) sent %s" %
                              (m["why"], m["invoice"], [x["kind"] for x in sent]))
            time.sleep(0.1)
        self.key("Return")
        self.key("Escape")
        self.wait_for("the New Case window to close on Escape",
                      lambda: win not in app_windows(self.app.pid))
        self.focus(self.main_window)
        sent = [x for x in self.events() if x["seq"] > after and
                x["kind"] in ("verification_key", "manual_case")]
        if sent:
            raise Failure("the New Case window for the %s (%s) sent %s" %
                          (m["why"], m["invoice"], [x["kind"] for x in sent]))
        self.mark("%s (%s): Return sent nothing, Escape closed the window" %
                  (m["why"], m["invoice"]))

    def email(self):
        mod = platform_module()
        maildir = os.path.join(self.home, "mail")
        os.mkdir(maildir)
        self.mails = []
        self.refused = []
        for i, spec in enumerate(MAILS + REFUSED_MAILS):
            face, ident = draw_mail_photos(mod, spec, i)
            path, msg_id, received = write_mail(spec, face, ident, maildir, i)
            if spec["style"] == "gmail":
                # JPEG: the colour a decoder gives the flat background of
                # the face and the middle of the card (8x8 and 16x16 blocks
                # of one colour decode to one colour).
                spec = dict(spec, face_seen=jpeg_colour(face, 5, 5),
                            id_seen=jpeg_colour(ident, 300, 295))
                log("%s: JPEG colours decode as face %s, ID %s" % (
                    spec["style"], spec["face_seen"], spec["id_seen"]))
            else:
                spec = dict(spec, face_seen=spec["face_color"], id_seen=spec["id_color"])
            (self.mails if spec["invoice"] in [x["invoice"] for x in MAILS] else
             self.refused).append(
                dict(spec, path=path, message_id=msg_id, received_at=received,
                                   face_sha=hashlib.sha256(face).hexdigest(),
                                   id_sha=hashlib.sha256(ident).hexdigest(),
                     face_size=len(face), id_size=len(ident)))
            log("wrote %s: %d bytes, Message-ID %s, face %d bytes, ID %d bytes" % (
                os.path.basename(path), os.path.getsize(path), msg_id, len(face), len(ident)))
            del face, ident

        self.drops = []
        seq = self.begin()
        expected = []
        for i, m in enumerate(self.mails):
            ev = self.create_from_mail(m, 201)
            rid = ev["receipt_id"]
            m["receipt_id"] = rid
            self.cases.append({"receipt_id": rid, "label": "email case %d" % (i + 1),
                               "expected_name": m["name"]})
            self.needs = "the created case opening in the main window"
            seq = self.wait_claim(self.cases[-1], seq)
            # Issue 9: the photos must be on screen before `a` counts (for
            # the JPEGs, in the colours their flat areas decode to).
            self.wait_photos({"label": "email case %d" % (i + 1),
                              "expected_name": m["name"], "photos": "app-encrypted",
                              "colors": {"user_photo": m["face_seen"],
                                         "photo_id": m["id_seen"]}})
            if i == 0:
                self.needs = "the same message dropped again: the existing case, no second one"
                again = self.create_from_mail(m, 200)
                if again.get("receipt_id") != rid:
                    raise Failure("the second POST of the same message answered case %s, the "
                                  "first made %s" % (again.get("receipt_id"), rid))
                self.wait_photos({"label": "email case 1 (again)", "expected_name": m["name"],
                                  "photos": "app-encrypted",
                                  "colors": {"user_photo": m["face_color"],
                                             "photo_id": m["id_color"]}})
            self.needs = "a (approve) on the email case"
            before_key = self.last_seq()
            self.key("a")
            expected.append((self.cases[-1], "PASS", "", self.keys[-1][0]))

            def moved_on():
                return [e for e in self.events("claim")
                        if e["seq"] > before_key and e["receipt_id"] != rid]
            e = self.wait_for("the next case after approving %s" % m["name"], moved_on)[-1]
            seq = e["seq"]
            log("server: the app moved on to %s" % self.name(e["receipt_id"]))
        for m in self.refused:
            self.refuse_mail(m)
        self.quit()
        self.needs = "email cases with the right invoice, learner and photos; PASS recorded " \
                     "as a manual verification"
        self.check_email(expected)

    def check_email(self, expected):
        rec = self.record()
        events = rec["events"]
        problems = []
        if self.app.returncode != 0:
            problems.append("the app exited with status %d" % self.app.returncode)
        manual = [e for e in events if e["kind"] == "manual_case"]
        decisions = [e for e in events if e["kind"] == "decision"]
        for i, m in enumerate(self.mails):
            what = "the %s message (%s)" % (m["style"], m["invoice"])
            mine = [e for e in manual if (e.get("body") or {}).get("invoice_number") ==
                    m["invoice"]]
            created = [e for e in mine if e["status"] == 201]
            if len(created) != 1:
                problems.append("%s made %d cases (POSTs: %s)" % (
                    what, len(created), [(e["status"], e.get("problems")) for e in mine]))
                continue
            ev = created[0]
            body = ev["body"]
            rid = ev["receipt_id"]
            if body.get("username") != m["username"]:
                problems.append("%s: username %r, the order's is %r" %
                                (what, body.get("username"), m["username"]))
            if body.get("message_id") != m["message_id"]:
                problems.append("%s: message_id %r, the mail's Message-ID is %r" %
                                (what, body.get("message_id"), m["message_id"]))
            if body.get("received_at") != m["received_at"]:
                problems.append("%s: received_at %r, the mail's Date is %s" %
                                (what, body.get("received_at"), m["received_at"]))
            for kind, sha, size, label in (("user_photo", m["face_sha"], m["face_size"], "face"),
                                           ("photo_id", m["id_sha"], m["id_size"], "ID")):
                got = ev["photos"][kind]
                if got["sha256"] != sha:
                    other = m["id_sha"] if kind == "user_photo" else m["face_sha"]
                    problems.append("%s: %s decrypts to %d bytes, sha256 %s, not the %s "
                                    "attachment (%d bytes, %s)%s" % (
                                        what, kind, got["size"], got["sha256"][:16], label,
                                        size, sha[:16],
                                        " — it is the other attachment: face and ID swapped"
                                        if got["sha256"] == other else ""))
                if got["aes_key_bytes"] != 32:
                    problems.append("%s: %s AES key of %d bytes, not 32" %
                                    (what, kind, got["aes_key_bytes"]))
                if not got["data_urlsafe"]:
                    problems.append("%s: %s data is not URL-safe base64" % (what, kind))
            if ev["idempotency_key"] is None:
                problems.append("%s: POST without Idempotency-Key" % what)
            keys = [e for e in events if e["kind"] == "verification_key" and e["seq"] < ev["seq"]]
            if not keys:
                problems.append("%s: POSTed without GET /keys/verification first" % what)
            again = [e for e in mine if e["status"] != 201]
            if i == 0:
                if [(e["status"], e.get("existing"), e.get("receipt_id")) for e in again] != \
                        [(200, True, rid)]:
                    problems.append("%s dropped a second time: POSTs answered %s, expected one "
                                    "200 with the existing case" % (
                                        what, [(e["status"], e.get("receipt_id")) for e in again]))
                elif again[0]["idempotency_key"] == ev["idempotency_key"]:
                    log("note: the second drop reused the first upload's Idempotency-Key")
            elif again:
                problems.append("%s: extra POSTs %s" % (what, [e["status"] for e in again]))
            cases = [c for c in rec["cases"] if c["invoice_number"] == m["invoice"]]
            if len(cases) != 1 or cases[0]["source"] != "email" or \
                    cases[0]["username"] != m["username"]:
                problems.append("%s: the platform holds %s" % (what, cases))
            elif cases[0]["status"] != "approved":
                problems.append("%s: the case is %s, not approved" % (what, cases[0]["status"]))
            mine_d = [e for e in decisions if e["receipt_id"] == rid]
            if [(e["status"], (e["body"] or {}).get("Result")) for e in mine_d] != [(200, "PASS")]:
                problems.append("%s: decisions %s, expected one PASS answered 200" % (
                    what, [(e["status"], e["body"]) for e in mine_d]))
            elif not mine_d[0].get("held_claim"):
                problems.append("%s: decided without holding the claim" % what)
            mv = [v for v in rec["manual_verifications"] if v["username"] == m["username"]]
            if [v["receipt_id"] for v in mv] != [rid]:
                problems.append("%s: manual verifications for %s: %s, expected one for %s" %
                                (what, m["username"], mv, rid))
        if len(decisions) != len(expected):
            problems.append("%d decisions arrived, %d taken: %s" % (
                len(decisions), len(expected),
                [(self.name(e["receipt_id"]), e["status"]) for e in decisions]))
        for m in self.refused:
            if any(c["invoice_number"] == m["invoice"] for c in rec["cases"]):
                problems.append("a case exists for the %s (%s)" % (m["why"], m["invoice"]))
        if len(rec["manual_verifications"]) != len(self.mails):
            problems.append("%d manual verifications recorded, expected %d" %
                            (len(rec["manual_verifications"]), len(self.mails)))
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
        log("server record OK: %d email cases, each with its invoice, learner and photos "
            "(decrypted with openssl: the attachments' bytes), approved once, %d manual "
            "verifications; the message dropped again gave back its case; drops: %s" % (
                len(self.mails), len(rec["manual_verifications"]), ", ".join(self.drops)))

    # -- issue 9: retries of reads, and decisions only on a case the agent saw

    def flaky(self, fail_rate, startup_limit, startup_goal):
        """The platform answers a fraction of all requests 503 (nothing
        applied): the first case is on screen within startup_limit seconds of
        the app's start (reads retried within about a second, not at the next
        poll); decisions typed on five cases arrive exactly once each, in
        order, with their bodies (retried with the same Idempotency-Key)."""
        self.start_platform()
        self.cases = self.record()["cases"]
        for i, c in enumerate(self.cases):
            c["label"] = "case %d" % (i + 1)
        c = self.cases
        problems = []
        self.start_app()
        self.needs = "reads (/me, /cases, claims, photos) retried within about a second"
        slow = max(60.0, startup_limit)    # still go on when the app is slower than the limit
        try:
            # The photos may be on screen before the claim is confirmed (a
            # claim that meets a 503 is retried while the photos load).
            self.find_window()
            shown_at = self.wait_photos(c[0], timeout=slow)
            e = self.wait_for("the claim of case 1", lambda: [
                x for x in self.events("claim") if x["receipt_id"] == c[0]["receipt_id"]],
                timeout=slow)
            seq = e[0]["seq"]
        except Failure as e:
            raise Failure("%s\n- %s" % (e, self.fault_story(None))) from None
        startup = shown_at - self.app_started
        first = self.events()[0]
        # The app's own start (GTK, the display, the key file) before its
        # first request depends on how loaded the machine is, not on the
        # 503s; the limit applies from there, and both figures are printed.
        talking = self.rel(first["time"]) + START - self.app_started
        after_first = startup - talking
        self.mark("STARTUP: the first case's photos were on screen %.2f s after the app's "
                  "first request to the platform (goal %.1f s: %s; limit %.1f s; %.0f %% of "
                  "requests failing), %.2f s after its process started (the first request "
                  "came %.2f s after the start)" % (
                      after_first, startup_goal, "met" if after_first <= startup_goal else "missed",
                      startup_limit, 100 * fail_rate, startup, talking))
        if after_first > startup_limit:
            problems.append("the first case's photos took %.2f s to be on screen after the "
                            "app's first request, over the %.1f s limit (reads that meet a 503 "
                            "must be retried within about a second)" % (after_first, startup_limit))

        expected = []
        plan = [("PASS", None), ("FAIL", "5"), ("PASS", None), ("FAIL", "27"), ("PASS", None)]
        self.needs = "decisions delivered once each, in order, despite 503s"
        for i, (result, digits) in enumerate(plan):
            self.decide_keys(c[i], expected, result, digits)
            if i + 1 < len(plan):
                try:
                    seq = self.wait_claim(c[i + 1], seq)
                    self.wait_photos(c[i + 1])
                except Failure as e:
                    problems.append(str(e))
                    raise Failure("%s\n- %s" % ("\n- ".join(problems),
                                                 self.fault_story(c[i + 1]))) from None
        # Every decision applied before Ctrl+Q, so that the verdict does not
        # depend on which entry waits out a backoff when the window closes.
        self.wait_for("the %d decisions to be applied" % len(expected), lambda: len(
            [x for x in self.decisions() if not x.get("replay") and x["status"] == 200]) >=
            len(expected), timeout=UNDO_DELAY + 2 * STEP_TIMEOUT)
        self.quit()
        rec = self.record()
        events = rec["events"]
        decisions = [x for x in events if x["kind"] == "decision"]
        applied = [x for x in decisions if not x.get("replay")]
        replays = [x for x in decisions if x.get("replay")]
        faults = rec["faults"]
        failed_decisions = [x for x in events if x["kind"] == "fault" and
                            x["path"].endswith("/decision")]
        self.mark("FAULTS: %d of %d requests answered 503 (%s); decisions: %d applied, %d "
                  "idempotent replays, %d attempts answered 503" % (
                      faults["failed_503"], faults["requests"],
                      ", ".join("%s %d/%d" % (o, v["failed_503"], v["requests"])
                                for o, v in sorted(faults["by_origin"].items())),
                      len([x for x in applied if x["status"] == 200]), len(replays),
                      len(failed_decisions)))
        for route, v in sorted(faults["by_route"].items()):
            log("  %-58s %3d requests, %3d answered 503" % (route, v["requests"],
                                                           v["failed_503"]))
        got = [(self.name(x["receipt_id"]), x["body"], x["status"]) for x in applied]
        want = [(self.name(k["receipt_id"]), {"EdX-ID": k["receipt_id"], "Result": r,
                                              "Reason": reason, "MessageType": ""}, 200)
                for k, r, reason, _ in expected]
        if got != want:
            problems.append("the decisions the platform applied (in order) differ from the "
                            "ones taken:\n  received:\n%s\n  expected:\n%s" % (
                                "\n".join("    %s %s -> %s" % (n, json.dumps(b, ensure_ascii=False),
                                                             st) for n, b, st in got)
                                or "    (none)",
                                "\n".join("    %s %s" % (n, json.dumps(b, ensure_ascii=False))
                                          for n, b, _ in want)))
        per_case = {}
        for x in applied:
            per_case.setdefault(x["receipt_id"], []).append(x)
        for rid, xs in per_case.items():
            if len(xs) > 1:
                problems.append("%s reached the platform as %d different decisions (keys %s): "
                                "a second decision, not a replay" % (
                                    self.name(rid), len(xs),
                                    ", ".join(x["idempotency_key"] for x in xs)))
        first_key = {x["idempotency_key"]: x for x in applied}
        for x in replays:
            if x["idempotency_key"] not in first_key or \
                    first_key[x["idempotency_key"]]["body"] != x["body"]:
                problems.append("a replay on %s does not repeat a decision" %
                                self.name(x["receipt_id"]))
        if self.app.returncode != 0:
            problems.append("the app exited with status %d" % self.app.returncode)
        for x in events:
            if x["kind"] == "storage_authorization":
                problems.append("the storage origin received an Authorization header")
            elif x["kind"] == "unauthenticated":
                problems.append("request without the right token: %s %s" % (x["method"],
                                                                          x["path"]))
            elif x["kind"] == "unexpected":
                problems.append("request the contract does not define: %s %s" %
                                (x["method"], x["path"]))
        held = [k["label"] for k in rec["cases"] for k in [dict(k, label=self.name(k["receipt_id"]))]
                if k["claim"] and k["claim"]["agent"] == rec["agent"] and
                k["claim"]["expires"] > time.time()]
        if held:
            log("note: still claimed after the app quit (a release may have met a 503): %s" %
                ", ".join(held))
        if problems:
            raise Failure("with %.0f %% of requests failing:\n- %s" % (100 * fail_rate,
                                                                     "\n- ".join(problems)))
        log("server record OK: %d decisions applied once each, in order, with their bodies; "
            "%d idempotent replays" % (len(applied), len(replays)))

    def fault_story(self, case):
        """The requests for a case (None: all requests) that met a 503, and
        whether each was asked again and answered, for a failure message."""
        events = self.events()
        lines = []
        for f in [x for x in events if x["kind"] == "fault" and
                  (case is None or x.get("receipt_id") == case["receipt_id"])]:
            kind = "claim" if f["path"].endswith("/claim") else \
                "decision" if f["path"].endswith("/decision") else \
                "photo" if "/photos/" in f["path"] or f["origin"] == "storage" else \
                {"me": "me", "cases": "list", "verification": "verification_key"}.get(
                    f["path"].rstrip("/").rsplit("/", 1)[-1], "unknown")
            photo = "user_photo" if "/face/" in f["path"] or "user_photo" in f["path"] \
                else "photo_id"
            later = [x for x in events if x["seq"] > f["seq"] and (
                (x["kind"] == "fault" and x["path"] == f["path"]) or
                (x["kind"] == kind and x.get("receipt_id") == f.get("receipt_id") and
                 (kind != "photo" or (x["photo"] == photo and
                                      x["origin"] == f["origin"]))))]
            lines.append("%s %s at %+.2f s answered 503; %s" % (
                f["method"], f["path"], self.rel(f["time"]),
                "asked again %.2f s later (%s)" % (
                    later[0]["time"] - f["time"],
                    "503 again" if later[0]["kind"] == "fault" else "answered")
                if later else "never asked again"))
        return "requests%s that met a 503: %s" % (
            " for %s" % case["label"] if case else "", "; ".join(lines) if lines else "none")

    # Guard checks. Each part says what it found; the run goes on after a
    # failed part (today's app decides more than it should: the platform has
    # twelve cases so that every part still has one on screen).

    def decided_ids(self):
        """Receipt ids the app has decided: in its outbox (written before the
        undo delay starts) or received by the platform. Claims are no
        measure: the claim of a case decided at once may never be sent."""
        ids = set()
        for f in glob.glob(os.path.join(self.home, "data", "edulib-reviewer", "outbox",
                                        "*.json")):
            try:
                with open(f, encoding="utf-8") as fh:
                    doc = json.load(fh)
            except (OSError, ValueError):
                continue
            for entry in doc.get("entries", []) if isinstance(doc, dict) else []:
                if isinstance(entry, dict) and entry.get("receipt_id"):
                    ids.add(entry["receipt_id"])
        ids |= {x["receipt_id"] for x in self.events("decision")}
        return ids

    def newly_decided(self, before):
        """Cases decided since the set `before`, in queue order."""
        now_ids = self.decided_ids() - before
        return [k["receipt_id"] for k in self.cases if k["receipt_id"] in now_ids]

    def open_case(self):
        """The case on screen: the oldest one neither decided nor taken by
        a colleague (the app opens the oldest pending case)."""
        done = self.decided_ids() | {x["receipt_id"] for x in self.events("claim")
                                     if x["status"] == 409}
        return next(k for k in self.cases if k["receipt_id"] not in done)

    def watch(self, seconds, predicate):
        """Polls predicate for `seconds`; returns its first true value or None."""
        until = time.monotonic() + seconds
        while time.monotonic() < until:
            got = predicate()
            if got:
                return got
            time.sleep(0.1)
        return predicate()

    def show_open_case(self):
        case = self.open_case()
        self.wait_photos(case)
        self.dwell()
        return case

    def guard(self):
        seq = self.begin()
        results = []

        def part(name, body):
            self.needs = name
            try:
                body()
                results.append((name, None))
                self.mark("PASS %s" % name)
            except Failure as e:
                results.append((name, str(e)))
                self.mark("FAIL %s: %s" % (name, e))

        def names(ids):
            return ", ".join(self.name(r) for r in ids)

        # (a) a a, 80 ms apart: the second press is on the next case, whose
        # photos have not been seen yet: exactly one case decided.
        def double_press():
            case = self.show_open_case()
            before = self.decided_ids()
            self.keys.append((time.monotonic(), "a a (80 ms)"))
            xdotool("key", "--delay", "80", "a", "a")
            log("typed a a, 80 ms apart, on %s" % case["label"])
            if not self.watch(STEP_TIMEOUT, lambda: self.newly_decided(before)):
                raise Failure("(a) a a typed 80 ms apart decided nothing (%s is not in the "
                              "outbox)" % case["label"])
            time.sleep(2.0)
            got = self.newly_decided(before)
            if len(got) != 1:
                raise Failure("(a) a a typed 80 ms apart decided %d cases, not one: %s" %
                              (len(got), names(got)))
            log("a a decided one case: %s" % names(got))
        part("(a) two presses of a, 80 ms apart, decide one case", double_press)

        # (c) a narrow window showing the queue: the case is not visible.
        def narrow():
            case = self.show_open_case()
            x, y, w, h = self.geometry(self.main_window)
            self.mark("window %dx%d: made 400 px wide" % (w, h))
            xdotool("windowsize", "--sync", self.main_window, "400", str(h))
            try:
                time.sleep(1.0)
                self.key("alt+Left")
                time.sleep(1.0)
                _, _, rgb = screenshot(self.main_window)
                visible = {k: colour_pixels(rgb, case["colors"][k], tolerance=0)
                           for k in ("user_photo", "photo_id")}
                if any(n >= 1500 for n in visible.values()):
                    raise Failure("(c) precondition: 400 px wide, after Alt+Left, the photos of "
                                  "%s are still on screen (%s): the queue is not shown" %
                                  (case["label"], visible))
                log("screen: narrow, the queue shown, no photo of %s visible (%s)" %
                    (case["label"], visible))
                before = self.decided_ids()
                self.keys.append((time.monotonic(), "a"))
                xdotool("key", "a")
                log("typed a with the queue shown")
                got = self.watch(2.0, lambda: self.newly_decided(before))
                problems = []
                if got:
                    problems.append("a decided %s while only the queue was on screen (400 px "
                                    "wide, after Alt+Left)" % names(got))
                before_windows = app_windows(self.app.pid)
                self.keys.append((time.monotonic(), "d 1"))
                xdotool("key", "--delay", "100", "d", "1")
                log("typed d, 1 with the queue shown")
                new = self.watch(2.0, lambda: sorted(app_windows(self.app.pid) - before_windows))
                if new:
                    problems.append("d opened a window while only the queue was on screen")
                # Had d opened the deny panel out of sight, Return would deny.
                self.keys.append((time.monotonic(), "Return"))
                xdotool("key", "Return")
                got = self.watch(2.0, lambda: self.newly_decided(before))
                if got:
                    problems.append("d, 1, Return denied %s while only the queue was on "
                                    "screen" % names(got))
                self.key("Escape")
                if problems:
                    raise Failure("(c) " + "; ".join(problems))
            finally:
                xdotool("windowsize", "--sync", self.main_window, str(w), str(h))
                self.focus(self.main_window)
                self.mark("window back to %dx%d" % (w, h))
        part("(c) a and d do nothing while the queue hides the case (narrow window)", narrow)

        # (d) the deny panel with its Cancel button focused: Return closes it.
        def cancel_return():
            case = self.show_open_case()
            before = self.decided_ids()
            self.open_deny_panel()
            # A reason chosen, so that a denial could be sent.
            self.key("5")
            if not self.focus_cancel():
                self.key("Escape")
                raise Failure("(d) could not move the focus to the deny panel's Cancel button "
                              "with Tab (no focus ring seen on it)")
            self.key("Return")
            got = self.watch(2.0, lambda: self.newly_decided(before))
            still_open = self.deny_panel_shown()
            problems = []
            if got:
                problems.append("Return with Cancel focused denied %s" % names(got))
            if still_open:
                problems.append("Return with Cancel focused left the panel open")
                self.key("Escape")
                self.wait_for("the deny panel to close on Escape",
                              lambda: not self.deny_panel_shown())
            if problems:
                raise Failure("(d) " + "; ".join(problems))
        part("(d) Return on the deny panel's focused Cancel button sends nothing", cancel_return)

        # (b) a held down for 2 s: key repeats never decide.
        def hold():
            case = self.show_open_case()
            before = self.decided_ids()
            self.keys.append((time.monotonic(), "a held 2 s"))
            xdotool("keydown", "a")
            try:
                time.sleep(2.0)
            finally:
                xdotool("keyup", "a")
            log("held a down for 2 s on %s" % case["label"])
            time.sleep(2.0)
            got = self.newly_decided(before)
            if len(got) > 1:
                raise Failure("(b) holding a down for 2 s decided %d cases (key repeats "
                              "decided): %s" % (len(got), names(got)))
            log("holding a decided %d case%s: %s" % (len(got), "" if len(got) == 1 else "s",
                                                     names_or_none([self.name(r) for r in got])))
        part("(b) holding a down decides at most one case", hold)

        self.needs = None
        self.quit()
        decisions = self.decisions()
        self.mark("the platform received %d decision%s: %s" % (
            len(decisions), "" if len(decisions) == 1 else "s",
            "; ".join("%s %s" % (self.name(x["receipt_id"]), (x["body"] or {}).get("Result"))
                      for x in decisions) or "none"))
        failed = [e for _, e in results if e]
        for n, e in results:
            print("%s %s" % ("FAIL" if e else "PASS", n), flush=True)
        extra = []
        if len(decisions) > 2:
            extra.append("in all, %d decisions reached the platform; these keys allow at most 2 "
                         "(one from (a), at most one from (b))" % len(decisions))
        if failed or extra:
            raise Failure("%d of %d guard parts failed:\n- %s" % (
                len(failed), len(results), "\n- ".join(failed + extra)))

    def focus_cancel(self):
        """Tab through the deny panel until its Cancel button (left of its
        red Deny button, on the panel's last row) shows the focus ring; True
        when it does. Tab goes around the window, the panel included, so a
        cycle always reaches Cancel."""
        def ring():
            w, h, rgb = screenshot(self.main_window)
            rows = deny_button_rows(w, h, rgb)
            if rows is None:
                return 0
            # Cancel: the left half of the button row (the panel is at least
            # 300 px wide), clear of the photos' frames above it.
            return focus_ring_pixels(w, h, rgb, max(0, w - 300), max(0, rows[0] - 6),
                                     max(0, w - 160), min(h, rows[1] + 6))
        def ring_drawn():
            # A loaded machine may draw the frame of the new focus late:
            # look three times before the next Tab.
            for _ in range(3):
                time.sleep(0.15)
                if ring() >= 20:
                    return True
            return False
        for i in range(60):
            if i > 0:
                self.key("Tab")
            if ring_drawn():
                # Again once the panel has surely drawn its latest frame: a
                # late frame could show the ring where the focus was before.
                time.sleep(0.3)
                n = ring()
                if n >= 20:
                    log("the deny panel's Cancel button has the focus after %d Tab (%d pixels "
                        "of focus ring)" % (i, n))
                    return True
        return False

    def wrong_key(self):
        """(e) Signed in with a valid RSA key that is not the platform's: the
        app checks it against GET /keys/verification and neither claims nor
        fetches a photo."""
        self.start_platform()
        self.cases = self.record()["cases"]
        for i, c in enumerate(self.cases):
            c["label"] = "case %d" % (i + 1)
        other = os.path.join(self.home, "other-key.pem")
        p = subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt",
                            "rsa_keygen_bits:2048", "-out", other], capture_output=True)
        if p.returncode != 0:
            raise Failure("openssl could not make a key: %s" % p.stderr.decode(errors="replace"))
        os.chmod(other, 0o600)
        der = subprocess.run(["openssl", "pkey", "-in", other, "-pubout", "-outform", "DER"],
                             capture_output=True).stdout
        log("another RSA key made, fingerprint %s…; the platform's is %s…" % (
            hashlib.sha256(der).hexdigest()[:16], self.record_fingerprint()[:16]))
        self.key_file_override = other
        self.needs = "(e) sign-in checks the key's fingerprint before any case is claimed"
        self.start_app()
        # From the app's first request (its start-up alone may take seconds
        # on a loaded machine), 5 s for a claim or a photo fetch to show up.
        first = self.wait_for("the app's first request", lambda: self.events(),
                              timeout=STEP_TIMEOUT)[0]
        self.mark("the app's first request: %s" % first["kind"])
        self.watch(5.0, lambda: [x for x in self.events() if x["kind"] in ("claim", "photo")])
        events = self.record()["events"]
        claims = [x for x in events if x["kind"] == "claim"]
        photos = [x for x in events if x["kind"] == "photo"]
        lists = [x for x in events if x["kind"] == "list"]
        keys = [x for x in events if x["kind"] == "verification_key"]
        self.mark("5 s after the first request with another key: %d GET /keys/verification, %d "
                  "listings, %d claims, %d photo fetches" % (len(keys), len(lists),
                                                             len(claims), len(photos)))
        if self.app.poll() is not None:
            raise Failure("(e) the app exited (status %s) with another key" %
                          self.app.returncode)
        if claims or photos:
            raise Failure("(e) with a verification key that is not the platform's the app "
                          "claimed %s and fetched %d photos within 5 s; it must stop at the "
                          "sign-in page" % (names_or_none([self.name(x["receipt_id"])
                                                          for x in claims]), len(photos)))

    def record_fingerprint(self):
        der = subprocess.run(["openssl", "pkey", "-in", self.key_file, "-pubout", "-outform",
                              "DER"], capture_output=True).stdout
        return hashlib.sha256(der).hexdigest()

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


# ---------------------------------------------------------------- issue 5: e-mails

def platform_module():
    """review-platform.py, for its drawing code (Canvas, draw_id_card)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("review_platform",
                                                  os.path.join(HERE, "review-platform.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def to_jpeg(png):
    """PNG bytes to JPEG bytes through ImageMagick's pipes (nothing on disk)."""
    p = subprocess.run(["convert", "png:-", "-quality", "95", "jpeg:-"], input=png,
                       capture_output=True, timeout=30)
    if p.returncode != 0 or not p.stdout.startswith(b"\xff\xd8\xff"):
        raise Failure("convert could not make a JPEG: %s" % p.stderr.decode(errors="replace"))
    return p.stdout


def jpeg_colour(jpeg, x, y):
    """The colour of one pixel of a JPEG, decoded by ImageMagick (in memory)."""
    p = subprocess.run(["convert", "jpeg:-", "-crop", "1x1+%d+%d" % (x, y), "-depth", "8",
                        "rgb:-"], input=jpeg, capture_output=True, timeout=30)
    if p.returncode != 0 or len(p.stdout) != 3:
        raise Failure("convert could not read a JPEG pixel: %s" % p.stderr.decode(errors="replace"))
    return tuple(p.stdout)


# Three learners' e-mails, as three mail programs write them. The orders
# exist on the independent platform (ORDERS); colours are unique, so that a
# screenshot tells which photos the app shows.
MAILS = [
    {"style": "thunderbird", "invoice": "EDU-2026-007301", "username": "fcote",
     "name": "François Côté", "from": "fcote@example.org",
     "face_color": (250, 200, 40), "id_color": (60, 60, 200),
     "face_file": "visage François.png", "id_file": "carte d’identité.png"},
    {"style": "gmail", "invoice": "EDU-2026-007302", "username": "zangstrom",
     "name": "Zoë Ångström-Lefèvre", "from": "zoe.angstrom@gmail.example",
     "face_color": (140, 230, 80), "id_color": (200, 90, 160),
     "face_file": "selfie Zoë.jpg", "id_file": "pièce d'identité Zoë.jpg"},
    {"style": "outlook", "invoice": "EDU-2026-007303", "username": "dmchau",
     "name": "Đặng Minh Châu", "from": "dmchau@outlook.example",
     "face_color": (255, 110, 110), "id_color": (110, 60, 20),
     "face_file": "image002.png", "id_file": "image001.png"},
]


def draw_mail_photos(mod, spec, index):
    """A portrait face and an ID card, drawn for this message only."""
    c = mod.Canvas(400, 500, spec["face_color"])
    c.face(40, 20, 320, 460, [(224, 172, 140), (198, 134, 98), (141, 85, 54)][index % 3])
    face = c.png()
    ident = mod.draw_id_card(spec["id_color"], index)
    if spec["style"] == "gmail":
        face, ident = to_jpeg(face), to_jpeg(ident)
    return face, ident


# Orders for which no case may be created: the New Case window says why and
# Return does nothing (no GET /keys/verification, no POST).
REFUSED_MAILS = [
    {"style": "thunderbird", "invoice": "EDU-2026-007390", "username": "nonpaye",
     "name": "Noé Impayé", "from": "noe@example.org", "why": "unpaid order",
     "face_color": (30, 30, 120), "id_color": (120, 200, 200),
     "face_file": "visage Noé.png", "id_file": "carte d’identité Noé.png"},
    {"style": "thunderbird", "invoice": "EDU-2026-007391", "username": "dejavu",
     "name": "Déjà Vérifiée", "from": "dejavu@example.org", "why": "identity already approved",
     "face_color": (200, 200, 120), "id_color": (20, 120, 60),
     "face_file": "visage.png", "id_file": "carte d’identité.png"},
]


def write_mail(spec, face, ident, directory, index):
    """Writes the .eml with Python's standard `email` package; returns
    (path, Message-ID, Date)."""
    import email.utils
    from email import policy
    from email.message import EmailMessage
    from email.header import Header
    from email.mime.multipart import MIMEMultipart
    from email.mime.text import MIMEText
    from email.mime.image import MIMEImage

    date = email.utils.format_datetime(
        datetime.datetime(2026, 11, 20, 8 + index, 45, 12,
                          tzinfo=datetime.timezone(datetime.timedelta(hours=-5))))
    invoice = spec["invoice"]
    sender = email.utils.formataddr((spec["name"], spec["from"]))
    support = "Soutien EDUlib <soutien@edulib.example>"

    if spec["style"] == "thunderbird":
        # multipart/mixed: text/plain (format=flowed), two PNG attachments
        # whose non-ASCII names are RFC 2231 parameters (filename*=utf-8'').
        msg = EmailMessage()
        msg_id = email.utils.make_msgid(domain="example.org")
        msg["Message-ID"] = msg_id
        msg["Date"] = date
        msg["From"] = sender
        msg["To"] = support
        msg["Subject"] = "Vérification d’identité — facture %s" % invoice
        msg["User-Agent"] = "Mozilla Thunderbird"
        msg["Content-Language"] = "fr-CA"
        msg.set_content("Bonjour,\n\nJe n’ai pas pu faire la vérification à temps. Voici ma "
                        "photo et ma carte d’identité.\nMa facture : %s\n\nMerci,\n%s\n" %
                        (invoice, spec["name"]), params={"format": "flowed"})
        msg.add_attachment(face, maintype="image", subtype="png", filename=spec["face_file"])
        msg.add_attachment(ident, maintype="image", subtype="png", filename=spec["id_file"])
        data = msg.as_bytes(policy=policy.SMTP)
    elif spec["style"] == "gmail":
        # multipart/mixed [multipart/alternative [plain, html], 2 JPEG]; the
        # names as RFC 2047 encoded words in quotes, as Gmail writes them.
        msg = MIMEMultipart("mixed")
        msg_id = "<CAF%s@mail.gmail.com>" % secrets.token_hex(12)
        msg["MIME-Version"] = "1.0"
        msg["Date"] = date
        msg["Message-ID"] = msg_id
        msg["Subject"] = Header("Re: Ma vérification — commande %s" % invoice, "utf-8").encode()
        msg["From"] = Header(spec["name"], "utf-8").encode() + " <%s>" % spec["from"]
        msg["To"] = support
        alt = MIMEMultipart("alternative")
        text = ("Bonjour,\r\nvoici mon selfie et ma pièce d'identité pour la commande %s.\r\n"
                "Zoë\r\n" % invoice)
        alt.attach(MIMEText(text, "plain", "utf-8"))
        alt.attach(MIMEText('<div dir="ltr">Bonjour,<div>voici mon selfie et ma pièce '
                            "d'identité pour la commande <b>%s</b>.</div><div>Zoë</div></div>"
                            % invoice, "html", "utf-8"))
        msg.attach(alt)
        for blob, name, n in ((face, spec["face_file"], 1), (ident, spec["id_file"], 2)):
            part = MIMEImage(blob, "jpeg")
            encoded = Header(name, "utf-8").encode()
            part.set_param("name", encoded)
            part.add_header("Content-Disposition", "attachment", filename=encoded)
            part.add_header("X-Attachment-Id", "f_lq%d%s" % (n, secrets.token_hex(4)))
            part.add_header("Content-ID", "<f_lq%d>" % n)
            msg.attach(part)
        data = msg.as_bytes()
    else:
        # Outlook on the web: HTML only, the images inline in
        # multipart/related (cid: references), the invoice only in the HTML.
        msg = EmailMessage()
        msg_id = "<YT3PR01MB%s@YT3PR01MB6130.CANPRD01.PROD.OUTLOOK.COM>" % \
            secrets.token_hex(8).upper()
        msg["Message-ID"] = msg_id
        msg["Date"] = date
        msg["From"] = sender
        msg["To"] = support
        msg["Subject"] = "Demande de vérification"
        msg["Thread-Topic"] = "Demande de vérification"
        msg["X-MS-Has-Attach"] = "yes"
        msg["Content-Language"] = "fr-CA"
        cid_id, cid_face = email.utils.make_msgid("image001"), email.utils.make_msgid("image002")
        html = ('<html><head><meta http-equiv="Content-Type" content="text/html; '
                'charset=utf-8"></head><body><div style="font-family: Aptos, sans-serif">'
                "<p>Bonjour,</p><p>Voici ma pièce d’identité&nbsp;:</p>"
                '<p><img src="cid:%s" width="260"></p><p>et ma photo&nbsp;:</p>'
                '<p><img src="cid:%s" width="200"></p>'
                '<p>N<sup>o</sup> de facture&nbsp;: <span style="color:#1F3864">%s</span></p>'
                "<p>Cordialement,<br>%s</p></div></body></html>" %
                (cid_id[1:-1], cid_face[1:-1], invoice, spec["name"]))
        msg.set_content(html, subtype="html")
        msg.add_related(ident, maintype="image", subtype="png", cid=cid_id,
                        filename=spec["id_file"], disposition="inline")
        msg.add_related(face, maintype="image", subtype="png", cid=cid_face,
                        filename=spec["face_file"], disposition="inline")
        data = msg.as_bytes(policy=policy.SMTP)

    path = os.path.join(directory, "%d-%s.eml" % (index + 1, spec["style"]))
    with open(path, "wb") as f:
        f.write(data)
    received = email.utils.parsedate_to_datetime(date).astimezone(datetime.timezone.utc)
    return path, msg_id, received.strftime("%Y-%m-%dT%H:%M:%SZ")


def watch_signals(time_limit):
    """Killed (meson's timeout, or anyone else): say where each thread was,
    then unwind so that the app and the platform are stopped and the
    private home is removed. Past time_limit seconds (0: none), fail with
    the timeline before the harness kills the test without one."""
    def terminated(signum, frame):
        log("received signal %d: stopping" % signum)
        raise SystemExit(128 + signum)
    signal.signal(signal.SIGTERM, terminated)
    faulthandler.register(signal.SIGTERM, all_threads=True, chain=True)

    def out_of_time(signum, frame):
        faulthandler.dump_traceback(all_threads=True)
        raise Failure("the test ran out of its time limit (%.0f s) here" % time_limit)
    if time_limit > 0:
        signal.signal(signal.SIGALRM, out_of_time)
        signal.setitimer(signal.ITIMER_REAL, time_limit)


def run_session(title, run, skips=()):
    """A test made of one whole session (nodisk, lock): runs run.session()
    and returns the exit status (0 pass, 1 fail with the timeline and the
    app's last lines, 77 for an exception of skips)."""
    print("=== %s" % title, flush=True)
    try:
        run.session()
        log("PASS: %s" % title)
        return 0
    except skips as e:
        print("SKIP: %s" % e, flush=True)
        return 77
    except Failure as e:
        print("FAIL: %s\n%s" % (title, e), flush=True)
        if run.needs:
            print("(this step exercises %s)" % run.needs)
        run.dump()
        print("--- app output:")
        for t, who, line in run.app_lines[-150:]:
            print("  %7.2f %s %s" % (t - START, who, line))
        return 1
    finally:
        run.stop()


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


def skip_reason():
    """Why the flows cannot run here (no display, a tool missing), or None."""
    if not os.environ.get("DISPLAY"):
        return "no X display (run under xvfb-run, see build-aux/test)"
    for tool in ("xdotool", "import", "openssl"):
        if shutil.which(tool) is None:
            return "%s is not installed" % tool
    return None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--flow", choices=["full", "deny-skip", "kill", "offline", "email",
                                           "flaky", "guard"],
                        default="full")
    parser.add_argument("--fail-rate", type=float, default=0.25,
                        help="flaky: the fraction of all requests answered 503 (default 0.25)")
    parser.add_argument("--seed", type=int, default=1,
                        help="flaky: the seed of the platform's 503 draws (default 1)")
    parser.add_argument("--startup-limit", type=float, default=12.0,
                        help="flaky: most seconds from the app's first request to the first "
                             "case's photos on screen, else the test fails (default 12)")
    parser.add_argument("--startup-goal", type=float, default=5.0,
                        help="flaky: the goal for that time, printed beside it (default 5)")
    parser.add_argument("--down-seconds", type=float, default=20.0,
                        help="offline: how long the server stays down (default 20)")
    parser.add_argument("--down-mode", choices=["refuse", "drop"], default="refuse",
                        help="offline: connections refused (the listening socket closed), "
                             "or accepted and closed unanswered")
    parser.add_argument("--drag-source",
                        help="email: the drag-source program (tests/independent/drag-source.c)")
    parser.add_argument("--only", choices=["waiting", "in-flight"],
                        help="kill: one of the two scenarios")
    parser.add_argument("--time-limit", type=float, default=0,
                        help="fail (with the timeline) after this many seconds, before the "
                             "harness's own timeout kills the test without one")
    args = parser.parse_args()

    reason = skip_reason()
    if reason is not None:
        print("SKIP: " + reason)
        return 77

    watch_signals(args.time_limit)

    if args.flow == "full":
        scenarios = [("keyboard review", Run.full)]
    elif args.flow == "email":
        if not args.drag_source or not os.access(args.drag_source, os.X_OK):
            print("FAIL: --flow=email needs --drag-source=PROGRAM (got %r)" % args.drag_source)
            return 1
        Run.drag_source = args.drag_source
        scenarios = [("e-mails written by Python's email package, dropped on the window: "
                      "cases with the right invoice, learner and photos; PASS records a "
                      "manual verification", Run.email)]
    elif args.flow == "flaky":
        def flaky(run):
            run.platform_args = ["--fail-rate=%g" % args.fail_rate, "--seed=%d" % args.seed]
            run.flaky(args.fail_rate, args.startup_limit, args.startup_goal)
        scenarios = [("with %.0f %% of all requests answered 503 (seed %d): the first case on "
                      "screen within %.0f s, every decision applied once, in order" % (
                          100 * args.fail_rate, args.seed, args.startup_limit), flaky)]
    elif args.flow == "guard":
        def guard(run):
            run.platform_args = ["--cases=12"]
            run.guard()
        scenarios = [
            ("a decision only on a case the agent saw: (a) a a 80 ms apart, (c) narrow window "
             "with the queue shown, (d) Return on Cancel in the deny panel, (b) a held down",
             guard),
            ("(e) signed in with another valid RSA key: nothing claimed, no photo fetched",
             Run.wrong_key),
        ]
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
