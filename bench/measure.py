#!/usr/bin/env python3
"""Run one command and print a JSON line: wall seconds, CPU seconds, peak RSS MB, exit code.

Used by the bench/*.sh scripts so every tool is measured the same way
(os.wait4 gives the child's own rusage, including its children).
"""
import json, os, subprocess, sys, time

def main():
    label = sys.argv[1]
    cwd = sys.argv[2]
    cmd = sys.argv[3:]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=open(os.path.join(cwd, ".bench-stderr"), "w"))
    _, status, ru = os.wait4(proc.pid, 0)
    wall = time.monotonic() - start
    print(json.dumps({
        "label": label,
        "wall": round(wall, 4),
        "cpu": round(ru.ru_utime + ru.ru_stime, 3),
        "rss_mb": round(ru.ru_maxrss / 1024, 1),
        "exit": os.waitstatus_to_exitcode(status),
    }), flush=True)

main()
