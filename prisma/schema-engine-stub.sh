#!/bin/sh
# Stand-in for Prisma's schema engine binary, which cannot be downloaded offline.
# `prisma generate` only asks it for its version; migrations run through our own runner.
echo "schema-engine-cli 0.0.0-careline-offline-stub"
