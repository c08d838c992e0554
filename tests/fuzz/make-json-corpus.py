#!/usr/bin/env python3
"""Writes the seed corpus of the json fuzz target (tests/fuzz/corpus/json).

Each file is one selector byte (0 case, 1 page of cases, 2 page of
decisions, 3 order, 4 decision, 5 agent; see fuzz-json.c) and a body shaped
as in the platform contract (review-api-v1) and the fake platform. Only
synthetic names. Run from anywhere; the output is committed.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "corpus", "json")

CASE = {
    "receipt_id": "6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51",
    "source": "webcam",
    "status": "pending",
    "submitted_at": "2026-11-26T15:04:05Z",
    "expected_name": "Marie-Ève Tremblay",
    "username": "metremblay",
    "email": "marie-eve@example.org",
    "invoice_number": None,
    "attempt": 2,
    "previous_reasons": [{"photoIdReasons": ["Text not clear"]}],
    "claim": {"agent": "agent.lavoie", "expires_at": "2026-11-28T10:15:00Z"},
    "user_photo": {"url": "https://storage.example/face/6f0b?X-Amz-Signature=abc",
                   "key": "kq3q0Jw4YpXh0nDqGkOe1w=="},
    "photo_id": {"url": "/api/review/v1/photos/photo_id/6f0b",
                 "key": "Zx1aYm9yZGVy\nZXhhbXBsZQ=="},
}
EMAIL_CASE = dict(CASE, receipt_id="0a1b2c3d-0000-4000-8000-000000000001",
                  source="email", invoice_number="EDU-2026-004211", attempt=1,
                  previous_reasons=None, claim=None,
                  user_photo={"url": "/api/review/v1/photos/user_photo/0a1b", "key": None},
                  photo_id={"url": "/api/review/v1/photos/photo_id/0a1b"})
DENIED = {"receipt_id": "6f0bbcc7-3a8e-4a8c-9d0f-6c1f3e2e9b51", "status": "denied",
          "result": "FAIL",
          "reason": [{"userPhotoReasons": ["Face not visible"]},
                     {"photoIdReasons": ["Text not clear"]},
                     {"generalReasons": ["Name mismatch"]}],
          "decided_by": "agent.lavoie", "decided_at": "2026-11-28T10:05:00Z",
          "expected_name": "Marie-Ève Tremblay", "source": "webcam"}
APPROVED = {"receipt_id": "0a1b2c3d-0000-4000-8000-000000000001", "status": "approved",
            "result": "PASS", "reason": "", "decided_by": "agent.lavoie",
            "decided_at": "2026-11-28T10:06:00.123456+01:00"}
ORDER = {"invoice_number": "EDU-2026-004211", "username": "fcote",
         "full_name": "François Côté", "email": "fcote@example.org",
         "course_id": "course-v1:UMontreal+PSY1010+A2026",
         "course_name": "Introduction à la psychologie", "mode": "verified", "paid": True,
         "paid_at": "2026-10-02T18:22:10Z", "amount": "49.00", "currency": "CAD",
         "upgrade_deadline": "2026-12-01T04:59:00Z",
         "verification_deadline": "2026-11-15T04:59:00Z", "verification_status": "none"}
AGENT = {"username": "agent.lavoie", "full_name": "Sophie Lavoie",
         "permissions": ["review", "manual_cases"]}

SEEDS = {
    "case-webcam": (0, CASE),
    "case-email": (0, EMAIL_CASE),
    "page-cases": (1, {"count": 1342, "next_cursor": "b2Zmc2V0PTUw",
                       "results": [CASE, EMAIL_CASE]}),
    "page-cases-empty": (1, {"count": 0, "next_cursor": None, "results": []}),
    "page-decisions": (2, {"count": 2, "next_cursor": None, "results": [DENIED, APPROVED]}),
    "order": (3, ORDER),
    "order-unpaid": (3, dict(ORDER, paid=False, paid_at=None, email=None,
                             verification_status="pending")),
    "decision-denied": (4, DENIED),
    "decision-approved": (4, APPROVED),
    "agent": (5, AGENT),
    "agent-no-permissions": (5, {"username": "a", "full_name": "A", "permissions": []}),
}

os.makedirs(OUT, exist_ok=True)
for name, (selector, body) in SEEDS.items():
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([selector]) + json.dumps(body, ensure_ascii=False).encode("utf-8"))
# Bodies the readers must refuse cleanly.
for name, selector, text in [
    ("case-missing-photo", 0, '{"receipt_id":"x","source":"webcam","status":"pending",'
                              '"submitted_at":"2026-11-26T15:04:05Z","expected_name":"A"}'),
    ("case-bad-time", 0, json.dumps(dict(CASE, submitted_at="2026-13-40T99:00:00Z"))),
    ("page-bad-count", 1, '{"count":-1,"results":[]}'),
    ("page-bad-item", 2, '{"count":1,"results":[{"receipt_id":1}]}'),
    ("not-object", 5, '["username"]'),
    ("escapes", 5, '{"username":"a\\u0000b","full_name":"\\ud83d\\ude00","permissions":["review",1,null]}'),
]:
    with open(os.path.join(OUT, name), "wb") as f:
        f.write(bytes([selector]) + text.encode("utf-8"))
