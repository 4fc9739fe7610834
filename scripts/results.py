#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns test outputs into the project's result lines and sums them.

Result lines, one per test: "ok NAME", "not ok NAME - reason",
"skip NAME - reason".

  results.py gtest FILE.json     GoogleTest JSON -> result lines
  results.py kunit FILE.json     kunit.py parse --json output -> result lines
  results.py summary DIR         sums DIR/*.results, prints the final line
"""
import json
import os
import sys


def gtest(path):
    data = json.load(open(path))
    for suite in data.get("testsuites", []):
        for case in suite.get("testsuite", []):
            name = f"{suite['name']}.{case['name']}"
            if case.get("result") == "SKIPPED":
                print(f"skip {name}")
            elif case.get("failures"):
                reason = case["failures"][0].get("failure", "").splitlines()
                print(f"not ok {name} - {' '.join(reason)[:300]}")
            else:
                print(f"ok {name}")


def kunit(path):
    data = json.load(open(path))
    misc = data.get("misc", {})
    if misc.get("tests", 0) == 0 or misc.get("errors", 0):
        print(f"not ok kunit - kunit.py parsed {misc.get('tests', 0)} tests "
              f"with {misc.get('errors', 0)} parse errors")

    def walk(group, prefix):
        name = f"{prefix}{group.get('name', '')}"
        cases = group.get("test_cases", [])
        subs = group.get("sub_groups", [])
        for sub in subs:
            walk(sub, name + ".")
        for case in cases:
            status = case.get("status", "")
            label = f"{name}.{case.get('name', '')}"
            if status == "PASS":
                print(f"ok {label}")
            elif status == "SKIP":
                print(f"skip {label}")
            else:
                print(f"not ok {label} - {status}")

    # The parser's root group is a container; name tests from their suite.
    for sub in data.get("sub_groups", []):
        walk(sub, "")
    for case in data.get("test_cases", []):
        walk({"name": "", "test_cases": [case]}, "")


def summary(directory):
    passed = failed = skipped = 0
    for entry in sorted(os.listdir(directory)):
        if not entry.endswith(".results"):
            continue
        p = f = s = 0
        for line in open(os.path.join(directory, entry)):
            if line.startswith("ok "):
                p += 1
            elif line.startswith("not ok "):
                f += 1
                print(f"  FAILED {entry[:-8]}: {line[7:].rstrip()}")
            elif line.startswith("skip "):
                s += 1
        print(f"  {entry[:-8]:<14} {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
    print(f"{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed or passed == 0 else 0


if __name__ == "__main__":
    mode, arg = sys.argv[1], sys.argv[2]
    if mode == "gtest":
        gtest(arg)
    elif mode == "kunit":
        kunit(arg)
    elif mode == "summary":
        sys.exit(summary(arg))
    else:
        sys.exit(f"unknown mode {mode}")
