#!/usr/bin/env python3
"""An independent EDUlib Review API v1 server, for end-to-end tests.

Written from the contract alone (/work/shared/api/review-api-v1.md), in
Python with the standard library, sharing no code with the app or with the
C fake platform. Photos are synthetic PNGs drawn here (faces and ID cards
made of ellipses and rectangles, never real people) and encrypted exactly as
Open edX stores verification photos, with the `openssl` command line:

  * AES-CBC with PKCS#7 padding; 32-byte keys, and 16- and 24-byte keys for
    "old records"; IV = first 16 characters (as ASCII) of
    hex(md5(K || hex(md5(K))));
  * body = URL-safe base64 of the ciphertext (with a trailing newline);
  * key = base64 (standard with line breaks, or URL-safe) of the AES key
    wrapped with RSA-OAEP (SHA-1, MGF1-SHA-1, empty label).

Every photo is decrypted again with `openssl` at start-up, so a failure in
the app cannot be blamed on this server.

Usage: review-platform.py --token=TOKEN [--cases=6] [--fail-rate=F [--seed=N]]

--cases above 6 (up to 12) adds newer cases from EXTRA_CASES. --fail-rate=F
answers that fraction of ALL requests (the API origin's and the storage
origin's; never /_test/) with 503 and the contract's error body
({"error": {"code": "unavailable", ...}}), before anything is applied
(recorded as events of kind "fault"). The draw for a request depends only on
--seed, the origin, the method, the path (receipt ids replaced by the case's
number) and how many times the same was asked before, so a run is
reproducible. The record's "faults" holds the counts (requests, failed_503,
by origin and by route).

It prints one line when ready:

  READY <api-origin> <storage-origin> <private-key-file> <control-origin>

and serves until SIGTERM/SIGINT, then removes its temporary directory
(which holds only the RSA key files).

Test-only endpoints, without a token, on the control origin (always up; the
first one also on the API origin while it is up):

  GET  /_test/record    the JSON record of everything the app did (claims,
                        releases, decisions with their Idempotency-Key and
                        body, photo fetches, requests the contract does not
                        know, Authorization headers that reached the storage
                        origin), in arrival order, with the switches below
                        as events of kind "server".
  POST /_test/settings  a JSON object with any of:
      "down": "refuse"  the API origin goes away: its listening socket is
                        closed (connections are refused) and a kept-alive
                        connection is closed, unanswered, when its next
                        request arrives (recorded as "dropped");
      "down": "drop"    the API origin accepts connections but closes each
                        one, unanswered, as soon as its request has arrived
                        (each recorded as "dropped", so retries are seen);
      "down": null      the API origin is back, on the same port;
      "slow_decisions_ms": N
                        a decision is applied (and recorded) at once, but its
                        response is written only N ms later, or as soon as
                        this setting goes back to 0; the event gets
                        "answered_at" (or "answer_failed") when it is written.
                        The storage origin is never affected.

E-mailed cases (issue 5): GET /orders/{invoice} serves the orders in ORDERS
(paid with no verification yet, unpaid, already approved); POST /manual-cases
validates the body, decrypts both photos with the openssl command line
(422 invalid_photo when that fails) and records the plaintext's SHA-256,
size and format (never the photo itself), answers 201 with a new `email` case
(its photos served back, as the app encrypted them, from the API origin) or
200 with the case created before from the same message_id; a PASS on an email
case records an Open edX manual verification for the learner ("manual
verifications" in the record).
"""

import argparse
import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

API_PREFIX = "/api/review/v1/"
CLAIM_SECONDS = 15 * 60

AGENT = {"username": "agent.tester", "full_name": "Camille Testeur",
         "permissions": ["review", "manual_cases"]}
COLLEAGUE = "agent.roy"

REASON_GROUPS = {
    "userPhotoReasons": ["Image not clear", "Face out of view", "Photo not provided"],
    "photoIdReasons": ["Not provided", "Text not clear", "Photo hidden/No photo",
                       "Invalid Id", "No text", "ID name not provided"],
    "generalReasons": ["Name mismatch", "EdX name not provided", "Photo/ID Photo mismatch"],
}
GROUP_ORDER = ["userPhotoReasons", "photoIdReasons", "generalReasons"]

# Oldest first. Each photo has its own background / card colour, saturated
# and unlike any theme colour, so that a screenshot shows which photo the app
# displays. "serve" says how the photo reaches the app:
#   storage   absolute pre-signed URL on the storage origin (no token there)
#   redirect  path on the API origin answering 302 to the storage origin
#   api       path on the API origin, body served there (token required)
#   clear     path on the API origin, key null, the PNG itself (image/png)
# "key" is the AES key size; "b64" the form of the wrapped key.
CASES = [
    {"name": "Marie-Ève Tremblay", "username": "metremblay", "source": "webcam",
     "age_hours": 70, "attempt": 2,
     "previous_reasons": [{"photoIdReasons": ["Text not clear"]}],
     "user_photo": {"serve": "storage", "key": 32, "b64": "std-lines", "color": (214, 32, 140)},
     "photo_id": {"serve": "api", "key": 32, "b64": "urlsafe", "color": (32, 176, 64)}},
    {"name": "Jonas Okonkwo-Berg", "username": "jokonkwo", "source": "webcam",
     "age_hours": 52,
     "user_photo": {"serve": "redirect", "key": 32, "b64": "urlsafe", "color": (240, 120, 0)},
     "photo_id": {"serve": "clear", "color": (0, 150, 170)}},
    {"name": "Aïcha Benali", "username": "abenali", "source": "email",
     "invoice_number": "EDU-2026-004211", "age_hours": 47,
     "user_photo": {"serve": "storage", "key": 16, "b64": "std", "color": (120, 40, 200)},
     "photo_id": {"serve": "redirect", "key": 24, "b64": "std-lines", "color": (190, 190, 0)}},
    {"name": "Łukasz Nowak", "username": "lnowak", "source": "webcam",
     "age_hours": 30,
     "user_photo": {"serve": "api", "key": 32, "b64": "std-lines", "color": (0, 90, 230)},
     "photo_id": {"serve": "storage", "key": 32, "b64": "urlsafe", "color": (230, 0, 40)}},
    {"name": "Nguyễn Thị Hoa", "username": "nthoa", "source": "webcam",
     "age_hours": 12,
     "user_photo": {"serve": "clear", "color": (100, 200, 20)},
     "photo_id": {"serve": "storage", "key": 32, "b64": "std", "color": (150, 70, 20)}},
    # Free in every listing, but a colleague takes it just before the app's
    # claim arrives: the claim gets 409 claimed_by_other.
    {"name": "Søren Kjær", "username": "skjaer", "source": "webcam",
     "age_hours": 3, "colleague_grabs_on_claim": True,
     "user_photo": {"serve": "storage", "key": 32, "b64": "urlsafe", "color": (250, 60, 200)},
     "photo_id": {"serve": "storage", "key": 32, "b64": "std-lines", "color": (20, 200, 150)}},
]

# Extra cases for flows that need more than six (--cases above 6): newer
# than the six above, all on the storage origin, each photo with its own
# colour (unlike every colour above and in keyboard-test.py's e-mails).
EXTRA_CASES = [
    ("Inès Haddad", "ihaddad", (180, 0, 90), (0, 120, 90)),
    ("Mateo Ruiz Pérez", "mruiz", (90, 0, 180), (200, 150, 0)),
    ("Keiko Satō", "ksato", (0, 180, 220), (160, 0, 0)),
    ("Olúmídé Adéyemí", "oadeyemi", (70, 140, 0), (220, 90, 60)),
    ("Freya Lindqvist", "flindqvist", (128, 0, 255), (0, 200, 80)),
    ("Ravi Menon", "rmenon", (255, 150, 0), (0, 60, 160)),
]
for _i, (_name, _user, _face, _id) in enumerate(EXTRA_CASES):
    CASES.append({"name": _name, "username": _user, "source": "webcam",
                  "age_hours": 2.0 - 0.25 * _i,
                  "user_photo": {"serve": "storage", "key": 32, "b64": "std", "color": _face},
                  "photo_id": {"serve": "storage", "key": 32, "b64": "urlsafe", "color": _id}})
DEFAULT_CASES = 6

# Orders for e-mailed requests (GET /orders/{invoice}). "verification_status"
# is the stored one; an email case for the learner overrides it (pending while
# it waits, then approved or denied).
ORDERS = [
    {"invoice_number": "EDU-2026-007301", "username": "fcote", "full_name": "François Côté",
     "course_id": "course-v1:UMontreal+PSY1010+A2026",
     "course_name": "Introduction à la psychologie", "paid": True,
     "verification_status": "none"},
    {"invoice_number": "EDU-2026-007302", "username": "zangstrom",
     "full_name": "Zoë Ångström-Lefèvre", "course_id": "course-v1:UMontreal+HIS2050+A2026",
     "course_name": "Histoire du Québec contemporain", "paid": True,
     "verification_status": "none"},
    {"invoice_number": "EDU-2026-007303", "username": "dmchau", "full_name": "Đặng Minh Châu",
     "course_id": "course-v1:HEC+FIN1001+A2026", "course_name": "Finance personnelle",
     "paid": True, "verification_status": "none"},
    {"invoice_number": "EDU-2026-007390", "username": "nonpaye", "full_name": "Noé Impayé",
     "course_id": "course-v1:UMontreal+PSY1010+A2026",
     "course_name": "Introduction à la psychologie", "paid": False,
     "verification_status": "none"},
    {"invoice_number": "EDU-2026-007391", "username": "dejavu", "full_name": "Déjà Vérifiée",
     "course_id": "course-v1:UMontreal+PSY1010+A2026",
     "course_name": "Introduction à la psychologie", "paid": True,
     "verification_status": "approved"},
]


# ---------------------------------------------------------------- drawing

def png_rgb(width, height, rows):
    """A PNG (colour type 2, 8 bits) from rows of bytes (RGB)."""
    raw = b"".join(b"\x00" + bytes(r) for r in rows)

    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" +
            chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)) +
            chunk(b"IDAT", zlib.compress(raw, 6)) +
            chunk(b"IEND", b""))


class Canvas:
    def __init__(self, width, height, color):
        self.w, self.h = width, height
        self.rows = [bytearray(bytes(color) * width) for _ in range(height)]

    def rect(self, x0, y0, x1, y1, color):
        c = bytes(color)
        for y in range(max(0, y0), min(self.h, y1)):
            a, b = max(0, x0), min(self.w, x1)
            if b > a:
                self.rows[y][3 * a:3 * b] = c * (b - a)

    def ellipse(self, cx, cy, rx, ry, color):
        c = bytes(color)
        for y in range(max(0, cy - ry), min(self.h, cy + ry + 1)):
            t = 1.0 - ((y - cy) / ry) ** 2
            if t < 0:
                continue
            half = int(rx * t ** 0.5)
            a, b = max(0, cx - half), min(self.w, cx + half + 1)
            if b > a:
                self.rows[y][3 * a:3 * b] = c * (b - a)

    def face(self, x, y, w, h, skin):
        """A face filling the box (x, y, w, h): head, eyes, mouth."""
        cx, cy = x + w // 2, y + h // 2
        self.ellipse(cx, cy + h // 14, w * 5 // 16, h * 6 // 16, (70, 45, 30))   # hair
        self.ellipse(cx, cy + h // 8, w * 4 // 16, h * 5 // 16, skin)             # head
        ex = w // 9
        for sx in (cx - ex, cx + ex):
            self.ellipse(sx, cy + h // 14, max(2, w // 40), max(2, h // 40), (25, 25, 35))
        self.ellipse(cx, cy + h * 5 // 16, w // 14, max(2, h // 50), (150, 50, 60))

    def png(self):
        return png_rgb(self.w, self.h, self.rows)


def draw_face(color, index):
    skin = [(224, 172, 140), (198, 134, 98), (141, 85, 54), (240, 200, 170)][index % 4]
    c = Canvas(480, 360, color)
    c.face(120, 20, 240, 320, skin)
    return c.png()


def draw_id_card(color, index):
    """A card on a dark table: photo box with a face, bars standing for text."""
    c = Canvas(520, 340, (40, 40, 44))
    c.rect(20, 20, 500, 320, color)                       # the card
    c.rect(20, 20, 500, 64, (250, 250, 250))              # header band
    c.rect(40, 34, 260, 50, (60, 60, 60))                 # "GOVERNMENT ID"
    c.rect(44, 88, 184, 280, (235, 235, 235))             # photo box
    c.face(44, 88, 140, 192, [(224, 172, 140), (198, 134, 98), (141, 85, 54)][index % 3])
    for i, width in enumerate((250, 200, 270, 160, 220)):  # text lines
        c.rect(210, 96 + 36 * i, 210 + width, 112 + 36 * i, (30, 30, 30))
    return c.png()


# ---------------------------------------------------------------- crypto (openssl CLI)

def run(args, data=None):
    p = subprocess.run(args, input=data, capture_output=True, check=False)
    if p.returncode != 0:
        raise RuntimeError("%s failed: %s" % (" ".join(args), p.stderr.decode(errors="replace")))
    return p.stdout


OAEP = ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha1",
        "-pkeyopt", "rsa_mgf1_md:sha1"]


def open_edx_iv(key):
    """The first 16 characters of hex(md5(K || hex(md5(K)))), as ASCII bytes."""
    inner = hashlib.md5(key).hexdigest().encode("ascii")
    return hashlib.md5(key + inner).hexdigest()[:16].encode("ascii")


def aes_cipher(key):
    return {16: "-aes-128-cbc", 24: "-aes-192-cbc", 32: "-aes-256-cbc"}[len(key)]


def encrypt_photo(image, key_size, b64_form, public_pem, private_pem):
    """Returns (body, key text) as Open edX stores them, checked by decrypting."""
    key = os.urandom(key_size)
    iv = open_edx_iv(key)
    ciphertext = run(["openssl", "enc", aes_cipher(key), "-e", "-nosalt",
                      "-K", key.hex(), "-iv", iv.hex()], image)
    body = base64.urlsafe_b64encode(ciphertext) + b"\n"
    wrapped = run(["openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", public_pem] + OAEP, key)
    if b64_form == "urlsafe":
        key_text = base64.urlsafe_b64encode(wrapped).decode("ascii")
    elif b64_form == "std-lines":
        key_text = base64.encodebytes(wrapped).decode("ascii")   # 76 columns, "\n"
    else:
        key_text = base64.b64encode(wrapped).decode("ascii")

    # Check with openssl alone: unwrap, decrypt, compare.
    unwrapped = run(["openssl", "pkeyutl", "-decrypt", "-inkey", private_pem] + OAEP,
                    base64.b64decode(key_text.replace("-", "+").replace("_", "/")))
    clear = run(["openssl", "enc", aes_cipher(unwrapped), "-d", "-nosalt",
                 "-K", unwrapped.hex(), "-iv", open_edx_iv(unwrapped).hex()],
                base64.urlsafe_b64decode(body.strip()))
    if clear != image:
        raise RuntimeError("openssl round trip of a photo failed")
    return body, key_text


def b64decode_any(text):
    """Standard or URL-safe base64, whitespace ignored, padding required."""
    if not isinstance(text, str):
        raise ValueError("not a string")
    compact = "".join(text.split())
    if not re.fullmatch(r"[A-Za-z0-9+/_-]*={0,2}", compact) or len(compact) % 4:
        raise ValueError("not base64")
    return base64.b64decode(compact.replace("-", "+").replace("_", "/"), validate=True)


def decrypt_photo(private_pem, data_text, key_text):
    """Undoes the Open edX scheme with the openssl CLI; returns (image, AES
    key length). Raises ValueError or RuntimeError when it does not decrypt."""
    wrapped = b64decode_any(key_text)
    key = run(["openssl", "pkeyutl", "-decrypt", "-inkey", private_pem] + OAEP, wrapped)
    if len(key) not in (16, 24, 32):
        raise ValueError("the unwrapped AES key is %d bytes" % len(key))
    ciphertext = b64decode_any(data_text)
    image = run(["openssl", "enc", aes_cipher(key), "-d", "-nosalt",
                 "-K", key.hex(), "-iv", open_edx_iv(key).hex()], ciphertext)
    return image, len(key)


def image_format(data):
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    return "unknown"


RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


# ---------------------------------------------------------------- state

def rfc3339(t):
    return t.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def now():
    return datetime.datetime.now(datetime.timezone.utc)


class Platform:
    def __init__(self, token, n_cases, tmpdir, fail_rate=0.0, seed=1):
        self.token = token
        # --fail-rate: each request's draw depends only on the seed, the
        # method, the path (receipt ids replaced by the case's number) and
        # how many times that method and path were asked before, so a run
        # is reproducible whatever the order in which threads take requests.
        self.fail_rate = fail_rate
        self.seed = seed
        self.request_counts = {}   # (origin, method, normalized path) -> requests so far
        self.faults = {"requests": 0, "failed_503": 0, "by_origin": {}, "by_route": {}}
        self.lock = threading.RLock()
        self.seq = 0
        self.events = []
        self.secret = os.urandom(16)
        self.api_origin = None
        self.storage_origin = None
        self.objects = {}          # (kind, receipt_id) -> (body bytes, content type)
        self.down = None           # None (up), "refuse" or "drop"
        self.slow_decisions_ms = 0
        self.api_server = None     # the API origin's listening server (None while refused)
        self.api_port = None
        self.idempotency = {}      # key -> (receipt_id, canonical body, status, response)
        self.orders = {o["invoice_number"]: dict(o) for o in ORDERS}
        self.message_ids = {}      # message_id -> receipt_id of the email case made from it
        self.manual_verifications = []   # what the LMS would record on a PASS of an email case

        self.private_pem = os.path.join(tmpdir, "verification-key.pem")
        self.public_pem = os.path.join(tmpdir, "verification-key.pub.pem")
        pkcs8 = os.path.join(tmpdir, "pkcs8.pem")
        run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
             "-out", pkcs8])
        # The app gets the traditional PKCS#1 form ("RSA PRIVATE KEY"), which
        # the contract allows beside PKCS#8.
        run(["openssl", "pkey", "-in", pkcs8, "-traditional", "-out", self.private_pem])
        os.chmod(self.private_pem, 0o600)
        os.unlink(pkcs8)
        run(["openssl", "pkey", "-in", self.private_pem, "-pubout", "-out", self.public_pem])
        der = run(["openssl", "pkey", "-in", self.private_pem, "-pubout", "-outform", "DER"])
        self.fingerprint = hashlib.sha256(der).hexdigest()
        with open(self.public_pem, encoding="ascii") as f:
            self.public_key_text = f.read()

        t0 = now().replace(microsecond=0)
        self.cases = {}
        self.order = []
        for i, spec in enumerate(CASES[:n_cases]):
            rid = str(uuid.uuid4())
            case = {
                "receipt_id": rid, "source": spec["source"], "status": "pending",
                "submitted_at": rfc3339(t0 - datetime.timedelta(hours=spec["age_hours"],
                                                                 minutes=7 * i)),
                "expected_name": spec["name"], "username": spec["username"],
                "email": spec["username"] + "@example.org",
                "invoice_number": spec.get("invoice_number"),
                "attempt": spec.get("attempt", 1),
                "previous_reasons": spec.get("previous_reasons"),
                "claim": None,
                "x_edulib_note": "unknown members must be ignored",
            }
            for kind, draw in (("user_photo", draw_face), ("photo_id", draw_id_card)):
                p = spec[kind]
                image = draw(p["color"], i)
                if p["serve"] == "clear":
                    self.objects[(kind, rid)] = (image, "image/png")
                    key_text = None
                else:
                    body, key_text = encrypt_photo(image, p["key"], p["b64"],
                                                   self.public_pem, self.private_pem)
                    self.objects[(kind, rid)] = (body, "application/octet-stream")
                case[kind] = {"serve": p["serve"], "key": key_text}
            case["_grab"] = spec.get("colleague_grabs_on_claim", False)
            case["_colors"] = {k: spec[k]["color"] for k in ("user_photo", "photo_id")}
            case["_decision"] = None
            self.cases[rid] = case
            self.order.append(rid)

    # -- record

    def record(self, kind, **fields):
        with self.lock:
            self.seq += 1
            ev = {"seq": self.seq, "kind": kind, "time": now().timestamp()}
            ev.update(fields)
            self.events.append(ev)
            return ev

    def update(self, ev, **fields):
        with self.lock:
            ev.update(fields)

    def snapshot(self):
        with self.lock:
            return {
                "agent": AGENT["username"],
                "cases": [{"receipt_id": rid,
                           "expected_name": self.cases[rid]["expected_name"],
                           "submitted_at": self.cases[rid]["submitted_at"],
                           "status": self.cases[rid]["status"],
                           "claim": self.cases[rid]["claim"],
                           "source": self.cases[rid]["source"],
                           "username": self.cases[rid]["username"],
                           "invoice_number": self.cases[rid]["invoice_number"],
                           "photos": {k: self.cases[rid][k]["serve"]
                                      for k in ("user_photo", "photo_id")},
                           "colors": self.cases[rid]["_colors"],
                           "manual": self.cases[rid].get("_manual"),
                           "decision": self.cases[rid]["_decision"]}
                          for rid in self.order],
                "manual_verifications": [dict(v) for v in self.manual_verifications],
                "events": [dict(e) for e in self.events],
                "down": self.down,
                "slow_decisions_ms": self.slow_decisions_ms,
                "fail_rate": self.fail_rate,
                "seed": self.seed,
                "faults": json.loads(json.dumps(self.faults)),
            }

    # -- --fail-rate

    def normalized(self, path):
        """The path with receipt ids replaced by "case<N>" (their order)."""
        def case_number(m):
            rid = m.group(0)
            return "case%d" % (self.order.index(rid) + 1) if rid in self.cases else rid
        return re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
                      case_number, path)

    def should_fail(self, origin, method, path):
        """Counts the request; True when --fail-rate says it gets a 503."""
        with self.lock:
            norm = self.normalized(path)
            # Routes in the counters: the path without ids ("cases/*/claim").
            route = "%s %s %s" % (origin, method, re.sub(r"case\d+", "*", norm))
            n = self.request_counts.get((origin, method, norm), 0)
            self.request_counts[(origin, method, norm)] = n + 1
            self.faults["requests"] += 1
            r = self.faults["by_route"].setdefault(route, {"requests": 0, "failed_503": 0})
            r["requests"] += 1
            o = self.faults["by_origin"].setdefault(origin, {"requests": 0, "failed_503": 0})
            o["requests"] += 1
            if self.fail_rate <= 0:
                return False
            digest = hashlib.sha256(("%d|%s|%s|%s|%d" % (self.seed, origin, method, norm, n))
                                    .encode("utf-8")).digest()
            draw = int.from_bytes(digest[:8], "big") / 2.0 ** 64
            if draw >= self.fail_rate:
                return False
            self.faults["failed_503"] += 1
            r["failed_503"] += 1
            o["failed_503"] += 1
            return True

    # -- test switches

    def set_down(self, mode):
        """None: the API origin serves; "refuse": it is gone (listening socket
        closed); "drop": it accepts and closes connections unanswered."""
        if mode not in (None, "refuse", "drop"):
            raise ValueError("down must be null, \"refuse\" or \"drop\"")
        with self.lock:
            old, self.down = self.down, mode
            server = self.api_server
            if mode == "refuse":
                self.api_server = None
        if old == mode:
            return
        if mode == "refuse" and server is not None:
            server.shutdown()          # stops accepting; open connections stay
            server.server_close()      # the port is closed: connections are refused
        if mode != "refuse" and self.api_server is None:
            server = Server("api", self, port=self.api_port)
            threading.Thread(target=server.serve_forever, daemon=True).start()
            with self.lock:
                self.api_server = server
        self.record("server", state="up" if mode is None else "down (%s)" % mode)

    def set_slow_decisions(self, ms):
        with self.lock:
            self.slow_decisions_ms = max(0, int(ms))
        self.record("server", state="slow_decisions_ms=%d" % self.slow_decisions_ms)

    # -- views

    def storage_url(self, kind, rid):
        path = "/%s/%s" % ("face" if kind == "user_photo" else "id", rid)
        sig = hmac.new(self.secret, path.encode(), hashlib.sha256).hexdigest()
        return "%s%s?X-Amz-Expires=604800&X-Amz-Signature=%s" % (self.storage_origin, path, sig)

    def photo_json(self, case, kind):
        serve = case[kind]["serve"]
        if serve == "storage":
            url = self.storage_url(kind, case["receipt_id"])
        else:
            url = "%sphotos/%s/%s" % (API_PREFIX, kind, case["receipt_id"])
        return {"url": url, "key": case[kind]["key"]}

    def active_claim(self, case):
        claim = case["claim"]
        if claim is None or claim["expires"] <= now().timestamp():
            return None
        return claim

    def case_json(self, case):
        out = {k: v for k, v in case.items()
               if not k.startswith("_") and k not in ("claim", "user_photo", "photo_id")}
        claim = self.active_claim(case)
        out["claim"] = None if claim is None else {
            "agent": claim["agent"],
            "expires_at": rfc3339(datetime.datetime.fromtimestamp(claim["expires"],
                                                                  datetime.timezone.utc))}
        out["user_photo"] = self.photo_json(case, "user_photo")
        out["photo_id"] = self.photo_json(case, "photo_id")
        return out

    def order_json(self, order):
        """An order as GET /orders serves it; an email case overrides the status."""
        status = order["verification_status"]
        for rid in self.order:
            c = self.cases[rid]
            if c["source"] == "email" and c["username"] == order["username"]:
                status = c["status"]
        out = {k: v for k, v in order.items()}
        out.update({
            "email": order["username"] + "@example.org", "mode": "verified",
            "paid_at": "2026-10-02T18:22:10Z" if order["paid"] else None,
            "amount": "49.00", "currency": "CAD",
            "upgrade_deadline": "2026-12-01T04:59:00Z",
            "verification_deadline": "2026-11-15T04:59:00Z",
            "verification_status": status,
            "x_edulib_note": "unknown members must be ignored"})
        return out

    def decision_json(self, case):
        d = case["_decision"]
        return {"receipt_id": case["receipt_id"], "status": case["status"],
                "result": d["Result"], "reason": d["Reason"], "decided_by": d["by"],
                "decided_at": d["at"]}


def error_body(code, message, **more):
    e = {"code": code, "message": message}
    e.update(more)
    return {"error": e}


UUID_RE = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


def check_decision_body(rid, body):
    """Problems with a decision body, as a list of English strings (empty: valid).
    Returns (problems, status, code)."""
    if not isinstance(body, dict):
        return ["body is not a JSON object"], 400, "bad_request"
    problems = []
    extra = sorted(set(body) - {"EdX-ID", "Result", "Reason", "MessageType"})
    if extra:
        problems.append("unexpected members %s" % extra)
    if body.get("EdX-ID") != rid:
        problems.append("EdX-ID %r is not the receipt id %r" % (body.get("EdX-ID"), rid))
    if body.get("MessageType") != "":
        problems.append("MessageType is %r, not \"\"" % (body.get("MessageType"),))
    result, reason = body.get("Result"), body.get("Reason")
    if result == "PASS":
        if reason != "":
            problems.append("PASS with Reason %r, not \"\"" % (reason,))
        return problems, (400 if problems else 200), "bad_request"
    if result != "FAIL":
        problems.append("Result is %r" % (result,))
        return problems, 400, "bad_request"
    if not isinstance(reason, list) or not reason:
        problems.append("FAIL needs a non-empty Reason list, got %r" % (reason,))
        return problems, 422, "invalid_reason"
    seen = []
    for item in reason:
        if not isinstance(item, dict) or len(item) != 1:
            problems.append("Reason item %r is not a one-member object" % (item,))
            continue
        (group, values), = item.items()
        if group not in REASON_GROUPS:
            problems.append("unknown reason group %r" % group)
            continue
        seen.append(group)
        if not isinstance(values, list) or not values:
            problems.append("empty group %r" % group)
            continue
        for v in values:
            if group == "generalReasons" and isinstance(v, str) and v not in REASON_GROUPS[group]:
                if len(v) > 500:
                    problems.append("note over 500 characters")
            elif v not in REASON_GROUPS[group]:
                problems.append("%r is not a %s string" % (v, group))
    if seen != [g for g in GROUP_ORDER if g in seen] or len(set(seen)) != len(seen):
        problems.append("groups %s are not in the order %s, once each" % (seen, GROUP_ORDER))
    return problems, (422 if problems else 200), "invalid_reason"


# ---------------------------------------------------------------- HTTP

class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "IndependentPlatform/1"

    def log_message(self, fmt, *args):
        if os.environ.get("PLATFORM_VERBOSE"):
            sys.stderr.write("[platform %s] %s\n" % (self.server.role, fmt % args))

    # -- helpers

    @property
    def platform(self):
        return self.server.platform

    def send(self, status, body=None, content_type="application/json", headers=()):
        if isinstance(body, (dict, list)):
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        elif body is None:
            data = b""
        else:
            data = body
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if status not in (204, 304):
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if status not in (204, 304) and self.command != "HEAD":
            self.wfile.write(data)

    def read_body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def fail_503(self, origin, path):
        """--fail-rate: answers 503 (the contract's error body), applies nothing."""
        p = self.platform
        if not p.should_fail(origin, self.command, path):
            return False
        self.read_body()    # the connection stays usable (keep-alive)
        p.record("fault", origin=origin, method=self.command, path=path, status=503,
                 receipt_id=next((rid for rid in p.cases if rid in path), None))
        self.send(503, error_body("unavailable", "The service is briefly unavailable; "
                                  "try again."))
        return True

    # -- storage origin

    def storage(self):
        p = self.platform
        url = urllib.parse.urlsplit(self.path)
        if self.fail_503("storage", url.path):
            return
        if self.headers.get("Authorization") is not None:
            p.record("storage_authorization", path=url.path)
            self.send(403, b"<Error><Code>AccessDenied</Code></Error>", "application/xml")
            return
        m = re.fullmatch(r"/(face|id)/([0-9a-f-]+)", url.path)
        sig = urllib.parse.parse_qs(url.query).get("X-Amz-Signature", [""])[0]
        expected = hmac.new(p.secret, url.path.encode(), hashlib.sha256).hexdigest()
        kind = {"face": "user_photo", "id": "photo_id"}.get(m.group(1)) if m else None
        if self.command != "GET" or not m or not hmac.compare_digest(sig, expected) or \
                (kind, m.group(2)) not in p.objects:
            p.record("unexpected", origin="storage", method=self.command, path=self.path)
            self.send(403, b"<Error><Code>SignatureDoesNotMatch</Code></Error>", "application/xml")
            return
        p.record("photo", origin="storage", photo=kind, receipt_id=m.group(2))
        body, ctype = p.objects[(kind, m.group(2))]
        self.send(200, body, ctype)

    # -- control origin (test only)

    def control(self):
        p = self.platform
        path = urllib.parse.urlsplit(self.path).path
        if path == "/_test/record" and self.command == "GET":
            self.send(200, p.snapshot())
            return
        if path == "/_test/settings" and self.command == "POST":
            try:
                settings = json.loads(self.read_body() or b"{}")
                if "down" in settings:
                    p.set_down(settings["down"])
                if "slow_decisions_ms" in settings:
                    p.set_slow_decisions(settings["slow_decisions_ms"])
            except (ValueError, TypeError) as e:
                self.send(400, error_body("bad_request", str(e)))
                return
            self.send(200, {"down": p.down, "slow_decisions_ms": p.slow_decisions_ms})
            return
        self.send(404, error_body("not_found", "No such test endpoint."))

    # -- API origin

    def api(self):
        p = self.platform
        url = urllib.parse.urlsplit(self.path)
        path = url.path

        if path == "/_test/record" and self.command == "GET":
            self.send(200, p.snapshot())
            return

        if p.down is not None:
            # Down: no answer at all. Read the body first, so that closing
            # is a clean end of the connection and not a reset.
            self.read_body()
            p.record("dropped", method=self.command, path=path, mode=p.down)
            self.close_connection = True
            return

        if self.fail_503("api", path):
            return

        if self.headers.get("Authorization") != "Bearer " + p.token:
            p.record("unauthenticated", method=self.command, path=path)
            self.send(401, error_body("unauthenticated", "Missing or unknown token."),
                      headers=[("WWW-Authenticate", "Bearer")])
            return

        if not path.startswith(API_PREFIX):
            return self.unexpected()
        rest = path[len(API_PREFIX):]
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)

        routes = [
            ("GET", r"me", self.get_me),
            ("GET", r"cases", self.list_cases),
            ("GET", r"cases/([0-9a-f-]+)", self.get_case),
            ("POST", r"cases/([0-9a-f-]+)/claim", self.claim),
            ("DELETE", r"cases/([0-9a-f-]+)/claim", self.release),
            ("POST", r"cases/([0-9a-f-]+)/decision", self.decide),
            ("GET", r"photos/(user_photo|photo_id)/([0-9a-f-]+)", self.photo),
            ("GET", r"keys/verification", self.verification_key),
            ("GET", r"orders/([^/]+)", self.get_order),
            ("POST", r"manual-cases", self.create_manual_case),
        ]
        for method, pattern, fn in routes:
            m = re.fullmatch(pattern, rest)
            if m and method == self.command:
                return fn(query, *m.groups())
        return self.unexpected()

    def unexpected(self):
        self.platform.record("unexpected", origin="api", method=self.command, path=self.path)
        self.send(404, error_body("not_found", "This test server does not serve that."))

    def get_me(self, query):
        self.platform.record("me")
        self.send(200, AGENT)

    def verification_key(self, query):
        self.platform.record("verification_key")
        self.send(200, {"public_key_pem": self.platform.public_key_text,
                        "fingerprint_sha256": self.platform.fingerprint})

    def get_order(self, query, invoice):
        p = self.platform
        invoice = urllib.parse.unquote(invoice)
        with p.lock:
            order = p.orders.get(invoice)
            body = p.order_json(order) if order is not None else None
        if body is None:
            p.record("order", invoice_number=invoice, status=404)
            self.send(404, error_body("unknown_invoice", "No order has this invoice number."))
            return
        p.record("order", invoice_number=invoice, status=200,
                 verification_status=body["verification_status"])
        self.send(200, body)

    def create_manual_case(self, query):
        p = self.platform
        raw = self.read_body()
        key = self.headers.get("Idempotency-Key")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        ev = {"idempotency_key": key, "content_type": ctype, "size": len(raw)}

        def answer(status, response, **more):
            p.record("manual_case", status=status, **ev, **more)
            self.send(status, response)

        if len(raw) > 32 * 1024 * 1024:
            return answer(413, error_body("too_large", "The body is over 32 MiB."))
        if not key or not UUID_RE.match(key):
            return answer(400, error_body("bad_request", "Idempotency-Key (a UUID) is required."))
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = None
        if not isinstance(body, dict) or ctype != "application/json":
            return answer(400, error_body("bad_request", "The body must be a JSON object."))
        # The record keeps the body's members, but of the photos only sizes.
        ev["body"] = {k: (v if k not in ("user_photo", "photo_id") else
                          {m: (len(x) if isinstance(x, str) else x) for m, x in v.items()}
                          if isinstance(v, dict) else v)
                      for k, v in body.items()}
        problems = []
        for member in ("invoice_number", "username", "received_at", "message_id"):
            if not isinstance(body.get(member), str) or not body[member]:
                problems.append("%s must be a non-empty string" % member)
        if isinstance(body.get("received_at"), str) and not RFC3339_RE.match(body["received_at"]):
            problems.append("received_at %r is not RFC 3339" % body["received_at"])
        for kind in ("user_photo", "photo_id"):
            photo = body.get(kind)
            if not isinstance(photo, dict) or not isinstance(photo.get("data"), str) or \
                    not isinstance(photo.get("key"), str):
                problems.append("%s must be {\"data\": string, \"key\": string}" % kind)
        extra = sorted(set(body) - {"invoice_number", "username", "received_at", "message_id",
                                    "user_photo", "photo_id"})
        if extra:
            ev["unknown_members"] = extra
        if problems:
            return answer(400, error_body("bad_request", "; ".join(problems)), problems=problems)

        canonical = json.dumps(body, sort_keys=True)
        with p.lock:
            if key in p.idempotency:
                krid, kbody, kstatus, kresponse = p.idempotency[key]
                if krid == "manual-cases" and kbody == canonical:
                    return answer(kstatus, kresponse, replay=True)
                return answer(422, error_body("idempotency_mismatch",
                                              "This Idempotency-Key was used for another "
                                              "request."))
            order = p.orders.get(body["invoice_number"])
            if order is None:
                return answer(404, error_body("unknown_invoice",
                                              "No order has this invoice number."))
            if body["username"] != order["username"]:
                problems.append("username %r is not the order's (%r)" %
                                (body["username"], order["username"]))
                return answer(400, error_body("bad_request", problems[0]), problems=problems)
            existing = p.message_ids.get(body["message_id"])
            if existing is not None:
                response = p.case_json(p.cases[existing])
                p.idempotency[key] = ("manual-cases", canonical, 200, response)
                return answer(200, response, receipt_id=existing, existing=True)

        # Decrypt both photos with openssl alone (outside the lock: slow).
        manual = {"message_id": body["message_id"], "received_at": body["received_at"],
                  "idempotency_key": key}
        for kind in ("user_photo", "photo_id"):
            photo = body[kind]
            try:
                image, key_len = decrypt_photo(p.private_pem, photo["data"], photo["key"])
            except (ValueError, RuntimeError) as e:
                # openssl's message only: its command line would show the AES key.
                why = str(e).split(" failed: ")[-1].strip()[:300]
                return answer(422, error_body("invalid_photo", "The %s does not decrypt: %s" %
                                              (kind, why)), photo=kind, problems=[why])
            manual[kind] = {
                "sha256": hashlib.sha256(image).hexdigest(), "size": len(image),
                "format": image_format(image), "aes_key_bytes": key_len,
                "data_urlsafe": not re.search(r"[+/]", photo["data"]),
                "data_bytes": len(photo["data"]), "key_b64_chars": len(photo["key"]),
            }
            del image

        with p.lock:
            existing = p.message_ids.get(body["message_id"])   # a race with a twin request
            if existing is not None:
                response = p.case_json(p.cases[existing])
                p.idempotency[key] = ("manual-cases", canonical, 200, response)
                return answer(200, response, receipt_id=existing, existing=True)
            rid = str(uuid.uuid4())
            case = {
                "receipt_id": rid, "source": "email", "status": "pending",
                "submitted_at": rfc3339(now()),
                "expected_name": order["full_name"], "username": order["username"],
                "email": order["username"] + "@example.org",
                "invoice_number": order["invoice_number"], "attempt": 1,
                "previous_reasons": None, "claim": None,
                "_grab": False, "_decision": None, "_colors": None, "_manual": manual,
            }
            for kind in ("user_photo", "photo_id"):
                # Served back exactly as the app sent them, from the API origin.
                p.objects[(kind, rid)] = (body[kind]["data"].encode("ascii", "replace"),
                                          "application/octet-stream")
                case[kind] = {"serve": "api", "key": body[kind]["key"]}
            p.cases[rid] = case
            p.order.append(rid)
            p.message_ids[body["message_id"]] = rid
            response = p.case_json(case)
            p.idempotency[key] = ("manual-cases", canonical, 201, response)
            return answer(201, response, receipt_id=rid, existing=False,
                          invoice_number=order["invoice_number"], username=order["username"],
                          photos={k: manual[k] for k in ("user_photo", "photo_id")})

    def list_cases(self, query):
        p = self.platform
        one = {k: v[-1] for k, v in query.items()}
        status = one.get("status", "pending")
        source = one.get("source")
        order = one.get("order", "oldest")
        q = one.get("q", "").strip().lower()
        try:
            limit = int(one.get("limit", "50"))
            offset = int(base64.urlsafe_b64decode(one["cursor"]).decode().split("=")[1]) \
                if one.get("cursor") else 0
        except (ValueError, IndexError, UnicodeDecodeError):
            limit = offset = -1
        if status not in ("pending", "approved", "denied") or \
                source not in (None, "webcam", "email") or order not in ("oldest", "newest") or \
                not 1 <= limit <= 200 or offset < 0:
            p.record("list", query=one, status=400)
            self.send(400, error_body("bad_request", "Bad query."))
            return
        with p.lock:
            cases = [p.cases[rid] for rid in p.order]
            cases = [c for c in cases if c["status"] == status and
                     (source is None or c["source"] == source)]
            if q:
                cases = [c for c in cases if any(q in (c.get(f) or "").lower() for f in
                                                 ("expected_name", "username", "email",
                                                  "receipt_id", "invoice_number"))]
            cases.sort(key=lambda c: c["submitted_at"], reverse=(order == "newest"))
            page = cases[offset:offset + limit]
            nxt = offset + limit if offset + limit < len(cases) else None
            body = {"count": len(cases),
                    "next_cursor": None if nxt is None else
                    base64.urlsafe_b64encode(("offset=%d" % nxt).encode()).decode(),
                    "results": [p.case_json(c) for c in page]}
        data = json.dumps(body, ensure_ascii=False, sort_keys=True).encode("utf-8")
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:32]
        inm = self.headers.get("If-None-Match")
        if inm is not None and etag in [t.strip() for t in inm.split(",")]:
            p.record("list", query=one, status=304)
            self.send(304, headers=[("ETag", etag)])
            return
        p.record("list", query=one, status=200, count=len(page))
        self.send(200, data, headers=[("ETag", etag)])

    def find(self, rid):
        case = self.platform.cases.get(rid)
        if case is None:
            self.send(404, error_body("not_found", "No such case."))
        return case

    def get_case(self, query, rid):
        p = self.platform
        with p.lock:
            case = self.find(rid)
            if case is None:
                return
            body = p.case_json(case)
        p.record("get_case", receipt_id=rid)
        self.send(200, body)

    def claim(self, query, rid):
        p = self.platform
        self.read_body()
        with p.lock:
            case = self.find(rid)
            if case is None:
                return
            if case["_grab"]:
                case["_grab"] = False
                case["claim"] = {"agent": COLLEAGUE, "expires": now().timestamp() + CLAIM_SECONDS}
            if case["status"] != "pending":
                status, body = 409, error_body("already_decided", "This case was decided.",
                                               decision=p.decision_json(case))
            else:
                claim = p.active_claim(case)
                if claim is not None and claim["agent"] != AGENT["username"]:
                    status, body = 409, error_body(
                        "claimed_by_other", "A colleague is reviewing this case.",
                        claimed_by=claim["agent"],
                        expires_at=p.case_json(case)["claim"]["expires_at"])
                else:
                    case["claim"] = {"agent": AGENT["username"],
                                     "expires": now().timestamp() + CLAIM_SECONDS}
                    status, body = 200, p.case_json(case)
        p.record("claim", receipt_id=rid, status=status)
        self.send(status, body)

    def release(self, query, rid):
        p = self.platform
        with p.lock:
            case = self.find(rid)
            if case is None:
                return
            claim = p.active_claim(case)
            held = claim is not None and claim["agent"] == AGENT["username"]
            if held:
                case["claim"] = None
        p.record("release", receipt_id=rid, held=held)
        self.send(204)

    def decide(self, query, rid):
        p = self.platform
        raw = self.read_body()
        key = self.headers.get("Idempotency-Key")
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip()
        ev = {"receipt_id": rid, "idempotency_key": key, "raw": raw.decode("utf-8", "replace"),
              "content_type": ctype}
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            body = None
        ev["body"] = body

        # Decided (and recorded, in order) under the lock; answered outside it.
        def answer(status, response, **more):
            return p.record("decision", status=status, **ev, **more), status, response

        with p.lock:
            recorded, status, response = self.decide_locked(rid, key, ctype, body, answer)

        slow = p.slow_decisions_ms
        if slow > 0:
            # Applied and recorded; the response waits (the app may be
            # killed meanwhile: the request's outcome is then unknown to it).
            p.update(recorded, answer_delayed_ms=slow)
            deadline = time.monotonic() + slow / 1000.0
            while time.monotonic() < deadline and p.slow_decisions_ms > 0:
                time.sleep(0.02)
        try:
            self.send(status, response)
            self.wfile.flush()
            p.update(recorded, answered_at=now().timestamp())
        except OSError as e:
            p.update(recorded, answer_failed="%s at %.3f" % (e, now().timestamp()))
            raise

    def decide_locked(self, rid, key, ctype, body, answer):
        """Applies a decision request; returns answer(status, response, ...)."""
        p = self.platform
        case = p.cases.get(rid)
        if case is None:
            return answer(404, error_body("not_found", "No such case."))
        if not key or not UUID_RE.match(key):
            return answer(400, error_body("bad_request", "Idempotency-Key (a UUID) is required."))
        if body is None or ctype != "application/json":
            return answer(400, error_body("bad_request", "The body must be JSON."))
        canonical = json.dumps(body, sort_keys=True)
        if key in p.idempotency:
            krid, kbody, kstatus, kresponse = p.idempotency[key]
            if krid == rid and kbody == canonical:
                return answer(kstatus, kresponse, replay=True)
            return answer(422, error_body("idempotency_mismatch",
                                          "This Idempotency-Key was used for another request."))
        problems, status, code = check_decision_body(rid, body)
        if problems:
            return answer(status, error_body(code, "; ".join(problems)), problems=problems)
        if case["status"] != "pending":
            response = error_body("already_decided", "This case was decided.",
                                  decision=p.decision_json(case))
            p.idempotency[key] = (rid, canonical, 409, response)
            return answer(409, response)
        claim = p.active_claim(case)
        held_claim = claim is not None and claim["agent"] == AGENT["username"]
        if claim is not None and not held_claim:
            response = error_body("claimed_by_other", "A colleague is reviewing this case.",
                                  claimed_by=claim["agent"],
                                  expires_at=p.case_json(case)["claim"]["expires_at"])
            return answer(409, response)
        case["status"] = "approved" if body["Result"] == "PASS" else "denied"
        case["claim"] = None
        case["_decision"] = {"Result": body["Result"], "Reason": body["Reason"],
                             "by": AGENT["username"], "at": rfc3339(now())}
        response = p.decision_json(case)
        p.idempotency[key] = (rid, canonical, 200, response)
        if case["source"] == "email" and body["Result"] == "PASS":
            # What the intake service does for an emailed case: an Open edX
            # manual verification (ManualVerification) for the learner.
            mv = {"username": case["username"], "receipt_id": rid,
                  "invoice_number": case["invoice_number"], "name": case["expected_name"],
                  "status": "approved", "reason": "Verified by %s from an e-mailed request "
                  "(invoice %s)" % (AGENT["username"], case["invoice_number"]),
                  "created_at": rfc3339(now())}
            p.manual_verifications.append(mv)
            p.record("manual_verification", **mv)
        return answer(200, response, held_claim=held_claim)

    def photo(self, query, kind, rid):
        p = self.platform
        case = p.cases.get(rid)
        if case is None:
            return self.unexpected()
        serve = case[kind]["serve"]
        if serve == "redirect":
            p.record("photo", origin="api", photo=kind, receipt_id=rid, redirected=True)
            self.send(302, b"", "text/plain", headers=[("Location", p.storage_url(kind, rid))])
            return
        if serve not in ("api", "clear"):
            return self.unexpected()   # its URL is on the storage origin
        p.record("photo", origin="api", photo=kind, receipt_id=rid)
        body, ctype = p.objects[(kind, rid)]
        self.send(200, body, ctype)

    # -- dispatch

    def handle(self):
        # The app may drop a kept-alive connection at any time (it exits on
        # Ctrl+Q): that is not an error.
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass

    def handle_any(self):
        try:
            if self.server.role == "storage":
                self.storage()
            elif self.server.role == "control":
                self.control()
            else:
                self.api()
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_POST = do_DELETE = do_PUT = do_PATCH = do_HEAD = handle_any


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, role, platform, port=0):
        super().__init__(("127.0.0.1", port), Handler)
        self.role = role
        self.platform = platform


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--token", required=True)
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES,
                        help="how many cases (default %d, at most %d)" % (DEFAULT_CASES, len(CASES)))
    parser.add_argument("--fail-rate", type=float, default=0.0,
                        help="that fraction of all requests (API and photo storage, not the "
                             "test endpoints) is answered 503 and not applied")
    parser.add_argument("--seed", type=int, default=1, help="seed of the --fail-rate draws")
    args = parser.parse_args()
    if not 0.0 <= args.fail_rate < 1.0:
        parser.error("--fail-rate must be in [0, 1)")

    tmpdir = tempfile.mkdtemp(prefix="er-independent-")
    try:
        platform = Platform(args.token, max(1, min(args.cases, len(CASES))), tmpdir,
                            fail_rate=args.fail_rate, seed=args.seed)
        api = Server("api", platform)
        storage = Server("storage", platform)
        control = Server("control", platform)
        platform.api_server = api
        platform.api_port = api.server_address[1]
        platform.api_origin = "http://127.0.0.1:%d" % api.server_address[1]
        platform.storage_origin = "http://127.0.0.1:%d" % storage.server_address[1]
        control_origin = "http://127.0.0.1:%d" % control.server_address[1]

        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *a: stop.set())
        signal.signal(signal.SIGINT, lambda *a: stop.set())
        for s in (api, storage, control):
            threading.Thread(target=s.serve_forever, daemon=True).start()

        print("READY %s %s %s %s" % (platform.api_origin, platform.storage_origin,
                                     platform.private_pem, control_origin), flush=True)
        while not stop.wait(0.2):
            pass
        with platform.lock:
            api = platform.api_server
        for s in (api, storage, control):
            if s is not None:
                s.shutdown()
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
