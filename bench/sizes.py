#!/usr/bin/env python3
"""What a user downloads: the size of the release `stint` binary and, when
`make package` has built them, of the desktop app's binary and its .deb
(size profile `app`, target/app/). The app is not built here: packaging takes
half an hour on two cores, so the figures are those of the last package
build, with its time, or null when there is none.

usage: sizes.py TARGET_DIR   Prints one JSON object; sizes in MiB (2^20
bytes) and in bytes, so a target in MB can be checked either way."""
import datetime, glob, json, os, sys

target = sys.argv[1]


def measured(path):
    if not path or not os.path.isfile(path):
        return None
    st = os.stat(path)
    return {
        "path": os.path.relpath(path, target),
        "bytes": st.st_size,
        "mib": round(st.st_size / 2**20, 2),
        "built": datetime.datetime.fromtimestamp(st.st_mtime, datetime.timezone.utc).strftime("%FT%TZ"),
    }


debs = sorted(glob.glob(os.path.join(target, "app/bundle/deb/*.deb")), key=os.path.getmtime)
print(json.dumps({
    "stint_binary": measured(os.path.join(target, "release/stint")),
    "app_binary": measured(os.path.join(target, "app/stint-app")),
    "deb": measured(debs[-1] if debs else None),
    # Issue 15: the desktop app without PostgreSQL, in the size profile.
    "targets": {"app_binary_mb": 15, "deb_mb": 10},
}))
