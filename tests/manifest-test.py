#!/usr/bin/env python3
"""The Flatpak manifest, checked without building it (suite data).

    manifest-test.py SOURCE_ROOT [--flatpak-builder=PATH]

Checks com.edulib.Reviewer.json (docs/flatpak.md explains each choice):

- it is valid JSON without duplicate keys, with the app id of meson.build,
  the GNOME runtime and SDK of a stable branch (the one README.md tells
  people to install) and the command edulib-reviewer;
- finish-args are exactly the minimal set (secrets and files go through
  portals: no --filesystem, no --talk-name);
- every source of every module is pinned: an archive or file by url and a
  64-hex sha256, a git repository by a 40-hex commit (a branch or tag alone
  fails); local sources (dir, script, shell, inline, patch) are part of
  this repository;
- every dependency('...') of every meson.build in the project is either in
  the GNOME SDK (the list below) or built by a module of the manifest that
  comes before the app (gmime-3.0: the gmime module);
- the GMime release the manifest pins has the GMime API the code uses
  (read from src/: see GMIME_API below);
- when flatpak-builder is there, `flatpak-builder --show-manifest` reads the
  manifest without an error or a warning and sees the same modules,
  sources and finish-args.

Every failure is printed; the exit status is 1 if there is any.
"""
import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

MANIFEST = "com.edulib.Reviewer.json"
APP_ID = "com.edulib.Reviewer"
RUNTIME = "org.gnome.Platform"
SDK = "org.gnome.Sdk"
COMMAND = "edulib-reviewer"
APP_MODULE = "edulib-reviewer"

FINISH_ARGS = {
    "--share=network",
    "--share=ipc",
    "--socket=wayland",
    "--socket=fallback-x11",
    "--device=dri",
}

# pkg-config names that org.gnome.Sdk provides, checked against
# gnome-build-meta (tag 50.4: elements/sdk-platform.bst lists sdk/glib,
# gtk, libadwaita, libsoup, json-glib, gdk-pixbuf, libsecret, cairo and
# pango) and the freedesktop SDK it is built on (elements/platform.bst:
# openssl, which gives libcrypto and libssl; libepoxy, which GTK is built
# on and whose epoxy.pc the SDK ships; libjpeg-turbo, which gdk-pixbuf is
# built on and whose libjpeg.pc the SDK ships: the app decodes JPEG photos
# with it directly). GMime is in neither.
GNOME_SDK = {
    "glib-2.0", "gio-2.0", "gobject-2.0", "gmodule-2.0", "gio-unix-2.0",
    "gtk4", "libadwaita-1", "libsoup-3.0", "json-glib-1.0",
    "gdk-pixbuf-2.0", "libsecret-1", "cairo", "pango", "pangocairo",
    "libcrypto", "libssl", "openssl", "epoxy", "libjpeg",
}

# pkg-config names that a module of the manifest builds and installs.
MODULE_PROVIDES = {
    "gmime": {"gmime-3.0"},
    "leptonica": {"lept"},
    "tesseract": {"tesseract"},
}

# The GMime API of src/ that not every 3.2.x release has: what to look
# for in the code, and the (first, last) GMime release that compiles it
# (None: no bound).
def call_arities(code, function):
    """The number of arguments of every call of function in code."""
    arities = []
    for match in re.finditer(r"\b" + function + r"\s*\(", code):
        depth, commas, empty = 1, 0, True
        for char in code[match.end():]:
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
                if depth == 0:
                    break
            elif char == "," and depth == 1:
                commas += 1
            if not char.isspace() and depth >= 1:
                empty = False
        arities.append(0 if empty else commas + 1)
    return arities


GMIME_API = [
    ("GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT (new in 3.2.9)",
     lambda code: re.search(r"\bGMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT\b", code),
     ((3, 2, 9), None)),
    # 3.2.14 added a GDestroyNotify: 3 arguments until 3.2.13, 4 from then on.
    ("g_mime_parser_options_set_warning_callback with 3 arguments (4 from 3.2.14)",
     lambda code: 3 in call_arities(code, "g_mime_parser_options_set_warning_callback"),
     (None, (3, 2, 13))),
    ("g_mime_parser_options_set_warning_callback with 4 arguments (new in 3.2.14)",
     lambda code: 4 in call_arities(code, "g_mime_parser_options_set_warning_callback"),
     ((3, 2, 14), None)),
]

SKIP_DIRS = {".git", ".flatpak-builder", "build", "subprojects"}

failures = []


def fail(message):
    failures.append(message)
    print(f"not ok - {message}")


def ok(message):
    print(f"ok - {message}")


def no_duplicates(pairs):
    seen = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"duplicate key {key!r}")
        seen[key] = value
    return seen


def walk_modules(modules, where="modules"):
    """Yields (name, module) for every module, nested ones included."""
    for index, module in enumerate(modules):
        if not isinstance(module, dict):
            fail(f"{where}[{index}] is {module!r}: modules in other files are not checked; "
                 "write them in the manifest")
            continue
        name = module.get("name", f"{where}[{index}]")
        yield name, module
        yield from walk_modules(module.get("modules", []), f"module {name}")


def check_source(module, index, source):
    where = f"module {module}, source {index}"
    if not isinstance(source, dict):
        fail(f"{where} is {source!r}: sources in other files are not checked")
        return
    kind = source.get("type")
    if kind in ("archive", "file") and "url" in source:
        sha = source.get("sha256", "")
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            fail(f"{where} ({kind} {source['url']}) has no sha256 of 64 lowercase hex digits")
        else:
            ok(f"{where}: {kind} pinned by sha256")
    elif kind == "file" and "path" in source:
        ok(f"{where}: local file {source['path']}")
    elif kind == "git":
        commit = source.get("commit", "")
        if not re.fullmatch(r"[0-9a-f]{40}", commit):
            moving = source.get("branch") or source.get("tag") or "the default branch"
            fail(f"{where} (git {source.get('url', source.get('path'))}) follows {moving}: "
                 "pin it with a 40-hex commit")
        else:
            ok(f"{where}: git pinned at {commit}")
    elif kind in ("dir", "patch") and ("path" in source or "paths" in source) \
            and "url" not in source:
        ok(f"{where}: {kind} from this repository")
    elif kind in ("script", "shell", "inline"):
        ok(f"{where}: {kind} written in the manifest")
    else:
        fail(f"{where}: type {kind!r} with {sorted(source)} is not a pinned source this test knows")


def meson_files(root):
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs
                         if d not in SKIP_DIRS and not d.startswith("_build")
                         and not os.path.exists(os.path.join(directory, d, "meson-private")))
        if "meson.build" in files:
            yield os.path.join(directory, "meson.build")


def strip_comment(line):
    quoted = False
    for i, char in enumerate(line):
        if char == "'":
            quoted = not quoted
        elif char == "#" and not quoted:
            return line[:i]
    return line


def meson_dependencies(root):
    """(name, 'path:line') for every dependency('name', ...) call."""
    found = []
    call = re.compile(r"(?<![A-Za-z0-9_.])dependency\(\s*'([^']+)'")
    for path in meson_files(root):
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                for match in call.finditer(strip_comment(line)):
                    found.append((match.group(1), f"{os.path.relpath(path, root)}:{number}"))
    return found


def version_tuple(text):
    match = re.fullmatch(r"v?(\d+)\.(\d+)\.(\d+)", text or "")
    return tuple(int(part) for part in match.groups()) if match else None


def show(version):
    return ".".join(str(part) for part in version)


def source_text(root):
    chunks = []
    for directory, dirs, files in os.walk(os.path.join(root, "src")):
        dirs.sort()
        for name in sorted(files):
            if name.endswith((".c", ".h")):
                with open(os.path.join(directory, name), encoding="utf-8") as f:
                    chunks.append(f.read())
    return "\n".join(chunks)


def check_gmime_version(root, modules):
    gmime = modules.get("gmime")
    if gmime is None:
        return
    version = None
    for source in gmime.get("sources", []):
        if isinstance(source, dict) and source.get("type") == "git":
            version = version_tuple(source.get("tag"))
        elif isinstance(source, dict) and source.get("type") == "archive":
            match = re.search(r"gmime-(\d+\.\d+\.\d+)\.tar", source.get("url", ""))
            version = version_tuple(match.group(1)) if match else None
    if version is None:
        fail("the gmime module names no release (a git tag X.Y.Z or an archive gmime-X.Y.Z.tar.*)")
        return
    code = source_text(root)
    lowest, highest = (0, 0, 0), None
    for what, used, (first, last) in GMIME_API:
        if used(code):
            print(f"# src/ uses {what}")
            if first and first > lowest:
                lowest = first
            if last and (highest is None or last < highest):
                highest = last
    if version < lowest or (highest and version > highest):
        fail(f"the manifest pins GMime {show(version)}, but src/ compiles only with "
             f"{show(lowest)} to {show(highest) if highest else 'any later'} "
             "(see GMIME_API in tests/manifest-test.py and docs/flatpak.md)")
    else:
        ok(f"GMime {show(version)} has the API src/ uses "
           f"({show(lowest)} to {show(highest) if highest else 'any later'})")


def check_flatpak_builder(program, manifest_path, manifest):
    if not program:
        print("# flatpak-builder is not installed: --show-manifest not run "
              "(apt-get install flatpak-builder)")
        return
    # --show-manifest makes a .flatpak-builder state directory in the
    # current directory: run it in a throwaway one.
    with tempfile.TemporaryDirectory() as scratch:
        result = subprocess.run([program, "--show-manifest", manifest_path], cwd=scratch,
                                capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        fail(f"flatpak-builder --show-manifest exited with {result.returncode}: "
             f"{result.stderr.strip()}")
        return
    # flatpak-builder exits 0 when a member has the wrong type or a source
    # an unknown type, and only warns: any warning is a failure.
    if re.search(r"WARNING|CRITICAL|ERROR", result.stderr):
        fail(f"flatpak-builder --show-manifest warned: {result.stderr.strip()}")
        return
    try:
        seen = json.loads(result.stdout)
    except ValueError as error:
        fail(f"flatpak-builder --show-manifest printed no JSON: {error}")
        return

    def outline(data):
        return {
            "id": data.get("id", data.get("app-id")),
            "runtime": data.get("runtime"),
            "runtime-version": data.get("runtime-version"),
            "sdk": data.get("sdk"),
            "command": data.get("command"),
            "finish-args": data.get("finish-args"),
            "modules": [(name, [s.get("type") if isinstance(s, dict) else s
                                for s in module.get("sources", [])])
                        for name, module in walk_modules(data.get("modules", []))],
        }

    ours, theirs = outline(manifest), outline(seen)
    if ours != theirs:
        fail(f"flatpak-builder reads the manifest differently:\n  ours:  {ours}\n  its:   {theirs}")
    else:
        ok(f"flatpak-builder --show-manifest ({program}) reads the same manifest")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("root")
    parser.add_argument("--flatpak-builder", default=None)
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    manifest_path = os.path.join(root, MANIFEST)

    try:
        with open(manifest_path, encoding="utf-8") as f:
            manifest = json.load(f, object_pairs_hook=no_duplicates)
    except (OSError, ValueError) as error:
        fail(f"{MANIFEST} is not valid JSON: {error}")
        return 1
    ok(f"{MANIFEST} is valid JSON")

    # Identity, runtime and command.
    app_id = manifest.get("id", manifest.get("app-id"))
    with open(os.path.join(root, "meson.build"), encoding="utf-8") as f:
        match = re.search(r"^application_id\s*=\s*'([^']+)'", f.read(), re.M)
    meson_id = match.group(1) if match else None
    for key, got, want in (("app-id", app_id, APP_ID), ("meson.build application_id", meson_id, APP_ID),
                           ("runtime", manifest.get("runtime"), RUNTIME),
                           ("sdk", manifest.get("sdk"), SDK),
                           ("command", manifest.get("command"), COMMAND)):
        if got != want:
            fail(f"{key} is {got!r}, expected {want!r}")
        else:
            ok(f"{key} is {want}")
    branch = str(manifest.get("runtime-version", ""))
    if not re.fullmatch(r"\d+", branch):
        fail(f"runtime-version {branch!r} is not a stable GNOME branch (a number such as 50)")
    else:
        with open(os.path.join(root, "README.md"), encoding="utf-8") as f:
            readme = f.read()
        missing = [ref for ref in (f"{RUNTIME}//{branch}", f"{SDK}//{branch}")
                   if ref not in readme]
        if missing:
            fail(f"README.md does not tell to install {' and '.join(missing)}, "
                 "the runtime of the manifest")
        else:
            ok(f"runtime-version {branch}, as README.md says")

    # finish-args.
    finish = manifest.get("finish-args", [])
    if len(finish) != len(set(finish)) or set(finish) != FINISH_ARGS:
        extra = sorted(set(finish) - FINISH_ARGS)
        missing = sorted(FINISH_ARGS - set(finish))
        fail(f"finish-args are not the minimal set: extra {extra}, missing {missing}, "
             f"duplicates {len(finish) - len(set(finish))}")
    else:
        ok("finish-args are exactly " + " ".join(sorted(FINISH_ARGS)))

    # Sources.
    top = manifest.get("modules", [])
    modules = {}
    for name, module in walk_modules(top):
        if name in modules:
            fail(f"two modules are named {name}")
        modules[name] = module
        sources = module.get("sources", [])
        if not sources:
            fail(f"module {name} has no sources")
        for index, source in enumerate(sources):
            check_source(name, index, source)

    # The app module comes last, from this repository.
    names = [m.get("name") for m in top if isinstance(m, dict)]
    if not names or names[-1] != APP_MODULE:
        fail(f"the last module is {names[-1] if names else None!r}, expected {APP_MODULE}")
    else:
        app_sources = top[-1].get("sources", [])
        if not any(isinstance(s, dict) and s.get("type") == "dir" and s.get("path") == "."
                   for s in app_sources):
            fail(f"module {APP_MODULE} does not build this repository (a dir source with path '.')")
        else:
            ok(f"module {APP_MODULE} comes last and builds this repository")

    # Dependencies of every meson.build.
    deps = meson_dependencies(root)
    names_found = {name for name, _ in deps}
    # The parser must see the project's real dependencies, or this check is empty.
    for expected in ("gtk4", "libadwaita-1", "gmime-3.0"):
        if expected not in names_found:
            fail(f"no dependency('{expected}') found in the meson.build files: is the parser broken?")
    before_app = set(names[:-1]) if names and names[-1] == APP_MODULE else set(names)
    for name, where in sorted(set(deps)):
        if name in GNOME_SDK:
            ok(f"dependency('{name}') ({where}) is in the GNOME SDK")
            continue
        builders = [module for module, provides in MODULE_PROVIDES.items() if name in provides]
        built = [module for module in builders if module in before_app]
        if built:
            ok(f"dependency('{name}') ({where}) is built by module {built[0]}")
        elif builders:
            fail(f"dependency('{name}') ({where}) needs module {builders[0]} before "
                 f"{APP_MODULE} in the manifest")
        else:
            fail(f"dependency('{name}') ({where}) is neither in the GNOME SDK list of "
                 "tests/manifest-test.py nor built by a module of the manifest")

    check_gmime_version(root, modules)
    check_flatpak_builder(args.flatpak_builder or shutil.which("flatpak-builder"),
                          manifest_path, manifest)

    if failures:
        print(f"# {len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
