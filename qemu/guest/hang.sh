#!/bin/sh
# Guest job that never finishes: the harness must stop it at its timeout.
sleep 3600
