#!/bin/sh
# Guest job of the detector suite: loads one fixture that makes the kernel
# report a bug, then judges the kernel log as every job does. The job is
# expected to fail; the host checks that it failed for that report.
. /test/lib.sh
dmesg_start_judging
check "load $(basename /lib/modules/extra/*.ko)" insmod /lib/modules/extra/*.ko
check_kernel_log_clean
exit "$failures"
