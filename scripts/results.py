#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turns test outputs into the project's result lines and sums them.

Result lines, one per test: "ok NAME", "not ok NAME - reason",
"skip NAME - reason".

  results.py gtest FILE.json     GoogleTest JSON -> result lines
  results.py kunit FILE.json     kunit.py parse --json output -> result lines
  results.py summary DIR         sums DIR/*.results (naming each failure and
                                 skip), says how many checks are of shipped
                                 code and how many of the test devices and
                                 harness, prints the final line
"""
import json
import os
import sys


def gtest(path):
    # The label of failures that belong to no test: the file's name.
    label = os.path.basename(path).removesuffix(".json")
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        # GoogleTest writes the file at the end: no file means the binary
        # never got there (a crash, a sanitizer abort, a hang killed).
        print(f"not ok {label} - no GoogleTest result: {e}")
        return
    ran = failed = 0
    for suite in data.get("testsuites", []):
        suite_failed = 0
        for case in suite.get("testsuite", []):
            # GoogleTest files a failure outside any test (SetUpTestSuite,
            # an environment) as a case without a name.
            name = f"{suite['name']}.{case['name']}" if case.get("name") else f"{suite['name']}"
            failures = case.get("failures") or []
            if failures:
                reason = failures[0].get("failure", "").splitlines()
                print(f"not ok {name} - {' '.join(reason)[:300]}")
                suite_failed += 1
            elif case.get("result") == "SKIPPED":
                skipped = case.get("skipped") or [{}]
                why = " ".join(skipped[0].get("message", "").splitlines())[:300]
                print(f"skip {name}{' - ' + why if why else ''}")
            elif case.get("status") == "NOTRUN" or case.get("result") == "SUPPRESSED":
                # A DISABLED_ test: it never ran, so it did not pass.
                print(f"skip {name} - disabled, not run")
            elif case.get("status") == "RUN" and case.get("result") == "COMPLETED":
                print(f"ok {name}")
            else:
                print(f"not ok {name} - status {case.get('status')}, result {case.get('result')}")
                suite_failed += 1
            ran += 1 if case.get("name") else 0
        # Failures GoogleTest counts at the suite or the top level but files
        # under no case are failures all the same.
        counted = suite.get("failures", 0)
        if isinstance(counted, list):
            reason = " ".join(x.get("failure", "") if isinstance(x, dict) else str(x)
                              for x in counted).splitlines()
            print(f"not ok {suite['name']} - {' '.join(reason)[:300]}")
            suite_failed += 1
        elif counted > suite_failed:
            print(f"not ok {suite['name']} - GoogleTest counts {counted} failures, "
                  f"{suite_failed} in its tests")
            suite_failed = counted
        failed += suite_failed
    counted = data.get("failures", 0)
    if not isinstance(counted, int) or counted > failed:
        print(f"not ok {label} - GoogleTest counts {counted} failures, {failed} in its tests")
    if ran == 0:
        print(f"not ok {label} - no tests in the result")


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


# Suites whose subject is the test equipment, not what the project ships:
# the emulated SPDM responder, the QEMU devices and harness, the kernel-report
# detector. Every other suite checks the module, the engine or cmactl.
EQUIPMENT_SUITES = {"responder", "devices", "harness", "detector-debug"}


def summary(directory):
    passed = failed = skipped = 0
    subject = {"shipped": [0, 0], "equipment": [0, 0]}
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
                # Named, like failures: a skip (a boot-time kernel report
                # set aside, say) is something that was not shown to pass.
                print(f"  SKIPPED {entry[:-8]}: {line[5:].rstrip()}")
        print(f"  {entry[:-8]:<14} {p} passed, {f} failed, {s} skipped")
        passed, failed, skipped = passed + p, failed + f, skipped + s
        counts = subject["equipment" if entry[:-8] in EQUIPMENT_SUITES else "shipped"]
        counts[0] += p
        counts[1] += f
    print(f"  of the shipped module, engine and cmactl: {subject['shipped'][0]} passed, "
          f"{subject['shipped'][1]} failed")
    print(f"  of the test devices, harness and detector ({', '.join(sorted(EQUIPMENT_SUITES))}): "
          f"{subject['equipment'][0]} passed, {subject['equipment'][1]} failed")
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
