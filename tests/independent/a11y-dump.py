#!/usr/bin/python3
"""Dumps one application's accessibility tree, as a screen reader reads it
over AT-SPI, as JSON: one object per line, per accessible.

Each object: depth, index (its place among its parent's children), role,
name, description, text (the Text interface's whole content, or null),
image (the Image interface's description, or null), attributes (a dict),
visible and showing (its states). Nothing is filtered: hidden objects are
printed too.

Run with Debian's /usr/bin/python3 (python3-pyatspi; a pyenv or venv Python
does not see it). The application is found by its AT-SPI name and, with
--pid, by its process id; the desktop is polled until it shows up or
--timeout seconds have passed (the registry can take a moment to list a
new application).

Usage: a11y-dump.py APP-NAME [--pid=PID] [--timeout=S] [--max-depth=N]
Exit status: 0 dumped, 1 application not found or tree unreadable,
77 pyatspi not installed.
"""

import argparse
import json
import sys
import time

try:
    import pyatspi
except ImportError as e:
    print("SKIP: pyatspi is not available to %s (%s): install python3-pyatspi" %
          (sys.executable, e), file=sys.stderr)
    sys.exit(77)


def find_app(name, pid):
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        try:
            app = desktop.getChildAtIndex(i)
            if app is None or app.name != name:
                continue
            if pid is not None and app.get_process_id() != pid:
                continue
            return app
        except Exception:     # an application going away while we look
            continue
    return None


def safe(call, default=None):
    try:
        return call()
    except Exception:
        return default


def describe(acc, depth, index):
    states = safe(acc.getState)
    text = None
    itext = safe(acc.queryText)
    if itext is not None:
        text = safe(lambda: itext.getText(0, -1))
    image = None
    iimage = safe(acc.queryImage)
    if iimage is not None:
        image = safe(lambda: iimage.imageDescription)
    attributes = safe(acc.getAttributes, []) or []
    return {
        "depth": depth,
        "index": index,
        "role": safe(acc.getRoleName, "?"),
        "name": safe(lambda: acc.name, "") or "",
        "description": safe(lambda: acc.description, "") or "",
        "text": text,
        "image": image,
        "attributes": dict(a.split(":", 1) if ":" in a else (a, "") for a in attributes),
        "visible": bool(states and states.contains(pyatspi.STATE_VISIBLE)),
        "showing": bool(states and states.contains(pyatspi.STATE_SHOWING)),
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("name")
    parser.add_argument("--pid", type=int)
    parser.add_argument("--timeout", type=float, default=15)
    parser.add_argument("--max-depth", type=int, default=80)
    args = parser.parse_args()

    deadline = time.monotonic() + args.timeout
    app = find_app(args.name, args.pid)
    while app is None:
        if time.monotonic() > deadline:
            names = safe(lambda: [a.name for a in pyatspi.Registry.getDesktop(0)
                                  if a is not None], [])
            print("no application %r%s on the accessibility bus after %.0f s (there: %s)" %
                  (args.name, " with pid %d" % args.pid if args.pid else "", args.timeout,
                   names), file=sys.stderr)
            return 1
        time.sleep(0.2)
        app = find_app(args.name, args.pid)

    count = 0
    stack = [(app, 0, 0)]
    while stack:
        acc, depth, index = stack.pop()
        print(json.dumps(describe(acc, depth, index), ensure_ascii=False))
        count += 1
        if depth >= args.max_depth:
            continue
        n = safe(lambda: acc.childCount, 0)
        children = []
        for i in range(n):
            child = safe(lambda: acc.getChildAtIndex(i))
            if child is not None:
                children.append((child, depth + 1, i))
        stack.extend(reversed(children))
    if count < 2:
        print("the application %r shows no accessible below itself" % args.name,
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
