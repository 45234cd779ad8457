"""Parses .eml files with Python's email package (a real MIME parser) and prints what it found as JSON.

Usage: python3 parse_eml.py FILE.eml...
For each file: the top-level content type, the headers the recovery e-mails must carry (decoded), the names of
all top-level headers in order, each part's content type, charset and decoded content, every defect the parser
noted (in the headers too), whether every line ends in CRLF, the longest line and the longest header line.
"""
import email
import json
import sys
from email import policy

HEADERS = ["From", "To", "Subject", "Date", "Message-ID", "List-Unsubscribe", "List-Unsubscribe-Post", "MIME-Version"]

results = []
for path in sys.argv[1:]:
    with open(path, "rb") as handle:
        raw = handle.read()
    message = email.message_from_bytes(raw, policy=policy.default)
    parts = list(message.iter_parts()) if message.is_multipart() else []
    date = message["Date"]
    results.append({
        "file": path,
        "contentType": message.get_content_type(),
        "headers": {name: str(message[name]) for name in HEADERS if message[name] is not None},
        "headerNames": list(message.keys()),
        "dateValid": date is not None and getattr(date, "datetime", None) is not None,
        "parts": [
            {
                "contentType": part.get_content_type(),
                "charset": part.get_content_charset() or "",
                "transferEncoding": part.get("Content-Transfer-Encoding", ""),
                "content": part.get_content().replace("\r\n", "\n"),
            }
            for part in parts
        ],
        "defects": [type(d).__name__ for d in message.defects] + [type(d).__name__ for p in parts for d in p.defects]
        + [type(d).__name__ for name in HEADERS if message[name] is not None for d in message[name].defects],
        "crlfOnly": b"\n" not in raw.replace(b"\r\n", b"") and b"\r" not in raw.replace(b"\r\n", b""),
        "longestLine": max(len(line) for line in raw.split(b"\r\n")),
        "longestHeaderLine": max(len(line) for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n")),
    })
json.dump(results, sys.stdout, ensure_ascii=False)
