#!/usr/bin/env python3
"""Sums every JUnit XML report the build wrote (Java unit and integration tests, jest, typecheck, lint, the
browser check, the Go conformance host and the test command's own steps all write one) and prints the closing
line CI reads: "N passed, N failed, N skipped".

--expect-all: each suite of EXPECTED must have left a report; one that did not (its module was not built, or
it never ran) is counted as one failure and named, so a suite can never vanish from the count unnoticed.
Exits 1 when anything failed or no test ran at all."""
import glob, os, sys
import xml.etree.ElementTree as ET

# suite -> report glob, relative to the repository root. A new suite adds its line here.
EXPECTED = {
    "sdk unit tests": "backend/sdk/target/surefire-reports/TEST-*.xml",
    "datasource unit tests": "backend/datasource/target/surefire-reports/TEST-*.xml",
    "datasource real-node tests": "backend/datasource/target/failsafe-reports/TEST-*.xml",
    "datasource resilience tests": "backend/datasource/target/failsafe-reports/TEST-io.opencql.cql.resilience.*.xml",
    "demo-seed unit tests": "backend/demo-seed/target/surefire-reports/TEST-*.xml",
    "demo-seed real-node tests": "backend/demo-seed/target/failsafe-reports/TEST-*.xml",
    "frontend typecheck": "frontend/target/surefire-reports/TEST-typecheck.xml",
    "frontend lint": "frontend/target/surefire-reports/TEST-lint.xml",
    "frontend jest": "frontend/target/surefire-reports/TEST-jest*.xml",
    "frontend browser check": "frontend/target/failsafe-reports/TEST-browser-check*.xml",
    "conformance host": "conformance/target/failsafe-reports/TEST-conformance*.xml",
}

args = [a for a in sys.argv[1:] if not a.startswith("--")]
root = args[0] if args else "."
expect_all = "--expect-all" in sys.argv[1:]
patterns = ["**/target/surefire-reports/TEST-*.xml", "**/target/failsafe-reports/TEST-*.xml"]
seen, per_suite = set(), {}
tests = failed = skipped = 0


def count(module, t, f, k):
    global tests, failed, skipped
    tests += t; failed += f; skipped += k
    a = per_suite.setdefault(module, [0, 0, 0]); a[0] += t - f - k; a[1] += f; a[2] += k


for pattern in patterns:
    for path in glob.glob(os.path.join(root, pattern), recursive=True):
        if "node_modules" in path or path in seen:
            continue
        seen.add(path)
        rel = os.path.relpath(path, root)
        module = rel.split("/target/")[0] if "/target/" in rel else "test command"
        try:
            tree = ET.parse(path)
        except ET.ParseError as e:
            print(f"unreadable report {path}: {e}", file=sys.stderr)
            count(module, 1, 1, 0)
            continue
        suites = [tree.getroot()] if tree.getroot().tag == "testsuite" else tree.getroot().iter("testsuite")
        for s in suites:
            t = int(s.get("tests", 0)); f = int(s.get("failures", 0)) + int(s.get("errors", 0)); k = int(s.get("skipped", 0))
            count(module, t, f, k)

if expect_all:
    for suite, pattern in EXPECTED.items():
        if not glob.glob(os.path.join(root, pattern)):
            print(f"  MISSING {suite}: no report ({pattern}); counted as one failure", file=sys.stderr)
            count(f"missing: {suite}", 1, 1, 0)

for module, (p, f, k) in sorted(per_suite.items()):
    print(f"  {module}: {p} passed, {f} failed, {k} skipped")
passed = tests - failed - skipped
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
sys.exit(1 if failed or tests == 0 else 0)
