#!/usr/bin/env python3
"""The lock, read through the real accessibility tree (issue 10).

The app runs against the independent platform (review-platform.py) with
GTK's accessibility bridge on: the test starts its own
at-spi-bus-launcher on the session bus (the private one of build-aux/test),
and removes GTK_A11Y and NO_AT_BRIDGE from the app's environment only (the
test environment sets them for everything else). GTK 4 then registers the
app on the accessibility bus, which starts at-spi2-registryd by itself.
a11y-dump.py, run with Debian's /usr/bin/python3 (python3-pyatspi),
prints the app's whole AT-SPI tree as a screen reader reads it: every
accessible's role, name, description, text, image description and
attributes, hidden ones included.

Driven only by keys (keyboard-test.py's Run class and xdotool):

  case 1 shown       the tree holds case 1's learner name (the dump does
                     read what a screen reader reads)
  Ctrl+L             the lock page ("EDUlib Reviewer is locked" in the
                     tree); no learner name, username, e-mail, invoice or
                     receipt id of any case of the platform anywhere in
                     the tree; the platform received the DELETE of case 1's
                     claim
  Return             unlocked: case 1 (the oldest) is claimed again, its
                     photos are on screen and its name is back in the tree
  a, then Ctrl+L     the approval of case 1, still in its undo delay, is
                     kept through the lock: the platform receives it once;
                     the tree holds no learner again
  Return             unlocked: case 2, now the oldest pending, with its
                     photos and its name in the tree

Usage: lock-test.py APP [--time-limit=S]
Exit status: 0 pass, 1 fail, 77 skip (no X display, xdotool, import,
openssl, /usr/bin/python3 with pyatspi, at-spi-bus-launcher, session bus).
"""

import argparse
import ctypes
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))


sys.path.insert(0, HERE)
from flowlib import load  # noqa: E402


kt = load("keyboard_test", "keyboard-test.py")
log = kt.log
Failure = kt.Failure

# Debian's Python: python3-pyatspi is installed for it only (a pyenv or
# virtualenv python3 first on PATH does not see it).
SYSTEM_PYTHON = "/usr/bin/python3"
DUMP = os.path.join(HERE, "a11y-dump.py")
BUS_LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")
APP_NAME = "edulib-reviewer"        # the app's name on the accessibility bus
LOCKED_TITLE = "EDUlib Reviewer is locked"
A11Y_TIMEOUT = 30.0                 # the first registration can take a while
# Fields of a dumped accessible that a screen reader may read out.
FIELDS = ("name", "description", "text", "image")


class Skip(Exception):
    pass


class LockRun(kt.Run):
    def __init__(self, app):
        super().__init__(app, "lock")
        self.launcher = None
        self.last_tree = []

    # -- the accessibility bus

    def start_a11y_bus(self):
        if not os.environ.get("DBUS_SESSION_BUS_ADDRESS"):
            raise Skip("no session bus (run under dbus-run-session, see build-aux/test)")
        launcher = next((p for p in BUS_LAUNCHERS if os.access(p, os.X_OK)), None)
        if launcher is None:
            raise Skip("at-spi-bus-launcher is not installed (at-spi2-core)")
        if shutil.which("gdbus") is None:
            raise Skip("gdbus is not installed (libglib2.0-bin)")
        # Its own process group: the accessibility bus daemon it starts and
        # the registry that daemon activates are stopped with it.
        self.launcher = subprocess.Popen([launcher, "--launch-immediately"],
                                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         text=True, errors="replace", start_new_session=True)

        def address():
            if self.launcher.poll() is not None:
                raise Failure("at-spi-bus-launcher exited (status %d): %s" %
                              (self.launcher.returncode, self.launcher.stderr.read().strip()))
            p = subprocess.run(["gdbus", "call", "--session", "--dest", "org.a11y.Bus",
                                "--object-path", "/org/a11y/bus",
                                "--method", "org.a11y.Bus.GetAddress"],
                               capture_output=True, text=True, timeout=10)
            return p.stdout.strip() if p.returncode == 0 else None
        bus = self.wait_for("the accessibility bus (org.a11y.Bus)", address)
        self.mark("accessibility bus up (launcher pid %d): %s" % (self.launcher.pid, bus))

    def stop_a11y_bus(self):
        if self.launcher is None:
            return
        try:
            os.killpg(self.launcher.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            self.launcher.wait(5)
        except subprocess.TimeoutExpired:
            os.killpg(self.launcher.pid, signal.SIGKILL)
            self.launcher.wait(10)
        # The bus daemon and the registry, adopted by this process (a child
        # subreaper, see main): stopped and reaped.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            try:
                os.killpg(self.launcher.pid, 0)
            except ProcessLookupError:
                break
            reap()
            time.sleep(0.05)
        else:
            try:
                os.killpg(self.launcher.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reap()
        self.launcher = None

    def stop(self):
        try:
            super().stop()
        finally:
            self.stop_a11y_bus()

    # -- the app, with its accessibility bridge on

    def start_app(self):
        env = self.app_env()
        env.pop("GTK_A11Y", None)
        env.pop("NO_AT_BRIDGE", None)
        self.app_runs += 1
        label = "app#%d" % self.app_runs
        self.app_started = time.monotonic()
        self.app = subprocess.Popen([self.app_path, "--server=" + self.api], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                    text=True, errors="replace")
        threading.Thread(target=self.read_app_output, args=(self.app, label),
                         daemon=True).start()
        self.mark("%s started (pid %d), GTK_A11Y and NO_AT_BRIDGE unset" % (label, self.app.pid))

    # -- the tree

    def tree(self):
        """The app's accessibility tree, as a list of dicts (a11y-dump.py)."""
        try:
            p = subprocess.run([SYSTEM_PYTHON, DUMP, APP_NAME, "--pid=%d" % self.app.pid,
                                "--timeout=%g" % A11Y_TIMEOUT],
                               capture_output=True, text=True, timeout=A11Y_TIMEOUT + 30)
        except subprocess.TimeoutExpired:
            raise Failure("a11y-dump.py did not finish within %.0f s" %
                          (A11Y_TIMEOUT + 30)) from None
        if p.returncode == 77:
            raise Skip(p.stderr.strip())
        if p.returncode != 0:
            raise Failure("a11y-dump.py failed (status %d): %s" %
                          (p.returncode, p.stderr.strip()))
        self.last_tree = [json.loads(line) for line in p.stdout.splitlines() if line]
        return self.last_tree

    @staticmethod
    def strings(acc):
        values = [acc.get(f) for f in FIELDS]
        values.extend((acc.get("attributes") or {}).values())
        return [v for v in values if v]

    @classmethod
    def tree_holds(cls, tree, needle):
        needle = needle.casefold()
        return [acc for acc in tree if any(needle in s.casefold() for s in cls.strings(acc))]

    def wait_tree(self, what, predicate, timeout=kt.STEP_TIMEOUT):
        """Dumps the tree until predicate(tree) holds; returns the tree."""
        found = {}

        def check():
            tree = self.tree()
            if predicate(tree):
                found["tree"] = tree
                return True
            return False
        started = time.monotonic()
        try:
            self.wait_for(what, check, timeout=timeout)
        except Failure as e:
            raise Failure("%s\n--- the last tree read:\n%s" % (e, self.format_tree())) from None
        tree = found["tree"]
        log("tree: %s (%d accessibles, read in %.1f s)" %
            (what, len(tree), time.monotonic() - started))
        return tree

    def format_tree(self, tree=None):
        lines = []
        for acc in tree if tree is not None else self.last_tree:
            text = acc["text"] if acc["text"] and acc["text"] != acc["name"] else ""
            lines.append("  %s%s %r%s%s%s" % (
                "  " * acc["depth"], acc["role"], acc["name"],
                " desc=%r" % acc["description"] if acc["description"] else "",
                " text=%r" % text if text else "",
                "" if acc["visible"] else " (not visible)"))
        return "\n".join(lines) or "  (empty)"

    # -- what must not be read out while locked

    def learner_strings(self):
        """(what, string) of every case the platform holds."""
        out = []
        for case in self.record()["cases"]:
            label = "%s's" % self.label_of(case)
            out.append(("%s learner name" % label, case["expected_name"]))
            out.append(("%s username" % label, case["username"]))
            out.append(("%s e-mail" % label, case["username"] + "@example.org"))
            out.append(("%s receipt id" % label, case["receipt_id"]))
            if case.get("invoice_number"):
                out.append(("%s invoice number" % label, case["invoice_number"]))
        return out

    def label_of(self, case):
        for c in self.cases:
            if c["receipt_id"] == case["receipt_id"]:
                return c["label"]
        return "case %s" % case["receipt_id"]

    def check_no_learner(self, tree):
        leaks = []
        for what, needle in self.learner_strings():
            for acc in self.tree_holds(tree, needle):
                leaks.append("%s (%r) in a %s: name %r, description %r, text %r%s" % (
                    what, needle, acc["role"], acc["name"], acc["description"], acc["text"],
                    "" if acc["visible"] else " (not visible)"))
        if leaks:
            raise Failure("the locked window's accessibility tree holds learner data:\n  " +
                          "\n  ".join(leaks) + "\n--- the tree:\n" + self.format_tree(tree))
        log("tree: none of the %d cases' names, usernames, e-mails, invoices or receipt ids "
            "in %d accessibles" % (len(self.record()["cases"]), len(tree)))

    # -- steps

    def show_case(self, case, after):
        """The case claimed after seq `after`, its photos on screen and its
        learner's name in the accessibility tree."""
        seq = self.wait_claim(case, after)
        self.wait_photos(case)
        self.wait_tree("%s's name (%s) read out" % (case["label"], case["expected_name"]),
                       lambda tree: self.tree_holds(tree, case["expected_name"]),
                       timeout=A11Y_TIMEOUT)
        return seq

    def lock(self):
        self.key("ctrl+l")
        tree = self.wait_tree("the lock page (%r)" % LOCKED_TITLE,
                              lambda tree: self.tree_holds(tree, LOCKED_TITLE))
        self.check_no_learner(tree)
        return tree

    def unlock(self, case, after):
        self.key("Return")
        return self.show_case(case, after)

    def wait_release(self, case, after):
        def released():
            return [e for e in self.events("release")
                    if e["seq"] > after and e["receipt_id"] == case["receipt_id"]]
        e = self.wait_for("the release (DELETE) of %s's claim" % case["label"], released)[0]
        if not e["held"]:
            raise Failure("the platform received the DELETE of %s's claim, but the claim "
                          "was not held by the agent any more" % case["label"])
        log("server: claim of %s released (DELETE) while locked" % case["label"])
        return e["seq"]

    def session(self):
        self.start_a11y_bus()
        self.needs = "the app on the accessibility bus, case 1's name in the tree"
        seq = self.begin()
        c = self.cases
        self.wait_tree("case 1's name (%s) read out" % c[0]["expected_name"],
                       lambda tree: self.tree_holds(tree, c[0]["expected_name"]),
                       timeout=A11Y_TIMEOUT)

        self.needs = "Ctrl+L: the lock page, no learner in the tree, the claim given back"
        before = self.last_seq()
        self.lock()
        self.wait_release(c[0], before)
        claimed = [e for e in self.events("claim") if e["seq"] > before]
        if claimed:
            raise Failure("a claim was made while locked: %s" %
                          ", ".join(self.name(e["receipt_id"]) for e in claimed))

        self.needs = "Return: unlocked, the oldest case (case 1) back with its photos"
        seq = self.unlock(c[0], self.last_seq())

        self.needs = "a then Ctrl+L at once: the approval in its undo delay is still sent"
        before = self.last_seq()
        self.key("a")
        self.key("ctrl+l")
        typed = self.keys[-2][0]
        self.wait_tree("the lock page (%r)" % LOCKED_TITLE,
                       lambda tree: self.tree_holds(tree, LOCKED_TITLE))
        self.check_no_learner(self.last_tree)
        decided = self.wait_for(
            "the approval of case 1, sent after its undo delay while locked",
            lambda: [e for e in self.decisions(before) if e["receipt_id"] == c[0]["receipt_id"]],
            timeout=kt.UNDO_DELAY + kt.STEP_TIMEOUT)
        log("server: decision on case 1 %.2f s after `a`" %
            (self.rel(decided[0]["time"]) - (typed - kt.START)))
        # Still locked after it was sent: no learner came back with it.
        self.check_no_learner(self.tree())
        # Once: nothing more comes for a moment (a second send would follow
        # the first at once).
        time.sleep(1.0)
        decided = [e for e in self.decisions(before) if e["receipt_id"] == c[0]["receipt_id"]]
        applied = [e for e in decided if not e.get("replay")]
        if len(applied) != 1 or applied[0]["status"] != 200 or \
                applied[0]["body"].get("Result") != "PASS":
            raise Failure("case 1's approval: expected one PASS applied (200), got %s" % (
                "; ".join("status %s body %s%s" % (e["status"], json.dumps(e["body"]),
                                                   " (replay)" if e.get("replay") else "")
                          for e in decided) or "nothing"))
        log("server: case 1 approved once (%d request%s)" %
            (len(decided), "" if len(decided) == 1 else "s"))
        others = [e for e in self.decisions(before) if e["receipt_id"] != c[0]["receipt_id"]]
        if others:
            raise Failure("decisions nobody took reached the platform: %s" %
                          ", ".join(self.name(e["receipt_id"]) for e in others))

        self.needs = "Return: unlocked, the oldest pending case (case 2) with its photos"
        self.unlock(c[1], self.last_seq())
        self.needs = None


def reap():
    """Reaps any child that has ended (the adopted ones included)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def become_subreaper():
    """Orphans of this test's processes (the accessibility bus daemon and
    registry, once their launcher is gone) become its children, so that they
    are reaped here instead of lingering."""
    PR_SET_CHILD_SUBREAPER = 36
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    except (OSError, AttributeError):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--time-limit", type=float, default=0)
    args = parser.parse_args()

    reason = kt.skip_reason()
    if reason is not None:
        print("SKIP: " + reason)
        return 77
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        print("SKIP: %s is not installed (python3-pyatspi is read through it)" % SYSTEM_PYTHON)
        return 77
    probe = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True,
                           text=True)
    if probe.returncode != 0:
        print("SKIP: %s cannot import pyatspi (install python3-pyatspi)" % SYSTEM_PYTHON)
        return 77

    kt.watch_signals(args.time_limit)

    become_subreaper()
    title = ("Ctrl+L: the accessibility tree (AT-SPI) holds no learner, the claim is given "
             "back, a decision in its undo delay is still sent; Return reopens the oldest case")
    return kt.run_session(title, LockRun(args.app), skips=(Skip,))


if __name__ == "__main__":
    sys.exit(main())
