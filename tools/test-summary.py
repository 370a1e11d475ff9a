#!/usr/bin/env python3
"""Sums every JUnit XML report the build wrote (Java unit and integration tests, jest, the browser check and
the Go conformance host all write one) and prints the closing line CI reads: "N passed, N failed, N skipped".
Exits 1 when anything failed or no test ran at all."""
import glob, os, sys
import xml.etree.ElementTree as ET

root = sys.argv[1] if len(sys.argv) > 1 else "."
patterns = ["**/target/surefire-reports/TEST-*.xml", "**/target/failsafe-reports/TEST-*.xml"]
seen, per_suite = set(), {}
tests = failed = skipped = 0
for pattern in patterns:
    for path in glob.glob(os.path.join(root, pattern), recursive=True):
        if "node_modules" in path or path in seen:
            continue
        seen.add(path)
        try:
            tree = ET.parse(path)
        except ET.ParseError as e:
            print(f"unreadable report {path}: {e}", file=sys.stderr)
            failed += 1
            continue
        suites = [tree.getroot()] if tree.getroot().tag == "testsuite" else tree.getroot().iter("testsuite")
        for s in suites:
            t = int(s.get("tests", 0)); f = int(s.get("failures", 0)) + int(s.get("errors", 0)); k = int(s.get("skipped", 0))
            tests += t; failed += f; skipped += k
            module = os.path.relpath(path, root).split("/target/")[0]
            a = per_suite.setdefault(module, [0, 0, 0]); a[0] += t - f - k; a[1] += f; a[2] += k
for module, (p, f, k) in sorted(per_suite.items()):
    print(f"  {module}: {p} passed, {f} failed, {k} skipped")
passed = tests - failed - skipped
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or tests == 0 else 0)
