#!/bin/sh
# sigv4-suite.sh - runs the SigV4 suite runner over the cases in
# tests/sigv4 (aws-c-auth's v4 layout); the runner prints TAP.
exec "$SALVAGE_BUILDDIR/tests/sigv4-suite" "$SALVAGE_SRCDIR/tests/sigv4"
