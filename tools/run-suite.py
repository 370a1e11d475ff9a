#!/usr/bin/env python3
"""Runs one test suite (jest, the browser check, typecheck, lint, the Go conformance host) so that its outcome is
always a JUnit report the summary counts, and so that a failing suite cannot stop the suites after it.

    run-suite.py --name NAME --report FILE [--writes-report] [--ignore-failure true|false] -- COMMAND...

--writes-report: COMMAND writes FILE itself (jest, gotestsum, the browser check). When it exits non-zero without
    a failure in FILE (it crashed, timed out, did not compile), a report FILE-crash is added with one failed case
    that carries the end of its output, so the failure is counted once and says why.
otherwise: COMMAND is one check (typecheck, lint); FILE gets one case, passed or failed with the end of its output.
--ignore-failure true: exit 0 whatever COMMAND did (the test command sets it through Maven's
    maven.test.failure.ignore, like Surefire's), so Maven goes on to package and run the other suites; the
    failure is still counted from the report. false (a developer's `mvn verify`): exit with COMMAND's code.
"""
import argparse, collections, os, subprocess, sys, time
import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

TAIL_LINES = 80


def report_failures(path):
    """Failures+errors in a JUnit file, or None when there is no readable report."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return None
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    return sum(int(s.get("failures", 0)) + int(s.get("errors", 0)) for s in suites)


def write_report(path, suite, case, seconds, failure=None):
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    body = ""
    if failure is not None:
        message, detail = failure
        body = f"\n    <failure message={quoteattr(message)} type=\"SuiteFailure\">{escape(detail)}</failure>\n  "
    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<testsuite name={quoteattr(suite)} tests="1" failures="{0 if failure is None else 1}" errors="0" '
                f'skipped="0" time="{seconds:.3f}">\n'
                f'  <testcase classname={quoteattr(suite)} name={quoteattr(case)} time="{seconds:.3f}">{body}</testcase>\n'
                '</testsuite>\n')


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--name", required=True)
    p.add_argument("--report", required=True)
    p.add_argument("--writes-report", action="store_true")
    p.add_argument("--ignore-failure", default="false")
    p.add_argument("command", nargs=argparse.REMAINDER)
    a = p.parse_args()
    command = a.command[1:] if a.command[:1] == ["--"] else a.command
    if not command:
        p.error("no command given")
    crash_report = a.report[:-len(".xml")] + "-crash.xml" if a.report.endswith(".xml") else a.report + "-crash"
    for stale in (crash_report, a.report):  # a report left by an earlier run must not be counted for this one
        if os.path.exists(stale):
            os.remove(stale)

    tail = collections.deque(maxlen=TAIL_LINES)
    start = time.monotonic()
    try:
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                errors="replace", bufsize=1)
        for line in proc.stdout:
            sys.stdout.write(line)
            sys.stdout.flush()
            tail.append(line)
        rc = proc.wait()
    except OSError as e:
        rc, tail = 127, collections.deque([f"could not start {command[0]}: {e}\n"])
    seconds = time.monotonic() - start
    detail = "".join(tail)

    if a.writes_report:
        counted = report_failures(a.report)
        if rc != 0 and not counted:
            why = "wrote no readable report" if counted is None else "reported no failing test"
            write_report(crash_report, a.name, f"{a.name} finished", seconds,
                         (f"{a.name} exited with code {rc} and {why}", detail))
            print(f"run-suite: {a.name} exited with code {rc} and {why}; counted as one failure", file=sys.stderr)
    else:
        write_report(a.report, a.name, a.name, seconds,
                     None if rc == 0 else (f"{a.name} exited with code {rc}", detail))

    if rc != 0 and a.ignore_failure.lower() == "true":
        print(f"run-suite: {a.name} failed (exit {rc}); going on, the summary counts it", file=sys.stderr)
        return 0
    return rc


if __name__ == "__main__":
    sys.exit(main())
