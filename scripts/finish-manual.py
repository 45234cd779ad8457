#!/usr/bin/env python3
"""Finishes the manual `swift package plugin generate-manual` writes (called by `make install`).

swift-argument-parser 1.8's generator lists every subcommand, hidden ones included (it ignores a command's
`shouldDisplay`), and its EXIT STATUS section is only mdoc's standard sentence (0 or >0). This drops the subcommands
the binary's own tool info marks hidden (`--experimental-dump-help`) and lists the exit statuses the command line
uses (NightlyError.exitCode; 64 also for a usage error of ArgumentParser).

Usage: scripts/finish-manual.py BINARY MANUAL
"""
import json
import subprocess
import sys

EXIT_STATUSES = [
    ("0", "Success, also when a pass was skipped because another copy held its lock."),
    ("1", "A step, the publishing or the command failed; the sentence on standard error says which."),
    ("64", "A bad setting or command line: the sentence names the setting and where it was set."),
    ("69", "The database is unreachable."),
]


def hidden_subcommands(binary):
    info = json.loads(subprocess.run([binary, "--experimental-dump-help"], check=True, capture_output=True, text=True).stdout)
    return {c["commandName"] for c in info["command"].get("subcommands", []) if not c.get("shouldDisplay", True)}


def finish(lines, hidden):
    out, skipping, depth = [], False, 0
    for line in lines:
        if line.startswith(".Bl"):
            depth += 1
        if skipping:
            # A hidden subcommand's item ends at the next item of the subcommand list (depth 1) or its end.
            if depth == 1 and (line.startswith(".It ") or line.startswith(".El")):
                skipping = False
            else:
                if line.startswith(".El"):
                    depth -= 1
                continue
        if line.startswith(".El"):
            depth -= 1
        if depth == 1 and line.startswith(".It Em ") and line[len(".It Em "):].strip() in hidden:
            skipping = True
            continue
        if line.strip() == ".Ex -std":
            out.append(".Bl -tag -width 6n")
            for code, meaning in EXIT_STATUSES:
                out += [".It " + code, meaning]
            out.append(".El")
            continue
        out.append(line)
    return out


def main():
    binary, manual = sys.argv[1:3]
    with open(manual) as f:
        lines = f.read().split("\n")
    finished = finish(lines, hidden_subcommands(binary))
    with open(manual, "w") as f:
        f.write("\n".join(finished))


if __name__ == "__main__":
    main()
