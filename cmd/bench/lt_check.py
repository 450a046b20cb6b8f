#!/usr/bin/python3
"""lt_check.py: a full check of a torrent's files by libtorrent 2.0, timed.

  lt_check.py --torrent F --save DIR [--hashing-threads N]

Adds the torrent (not in seed mode, no resume data: libtorrent checks the
files) and waits for torrent_checked_alert. Prints one JSON line:
{"event": "checked", "seconds": S, "pieces_ok": N, "num_pieces": M,
"cpu_seconds": C} with S from just before add_torrent to the alert, or
{"event": "error", "message": ...} and exits 1.
"""

import argparse
import json
import resource
import sys
import time

try:
    import libtorrent as lt
except ImportError as exc:
    print(json.dumps({"event": "error", "message": "import libtorrent: %s" % exc}), flush=True)
    sys.exit(1)


def fail(message):
    print(json.dumps({"event": "error", "message": message}), flush=True)
    sys.exit(1)


def main(argv):
    p = argparse.ArgumentParser(prog="lt_check.py")
    p.add_argument("--torrent", required=True)
    p.add_argument("--save", required=True)
    p.add_argument("--hashing-threads", type=int, default=2)
    p.add_argument("--timeout", type=float, default=600.0)
    args = p.parse_args(argv)
    mask = (lt.alert.category_t.error_notification | lt.alert.category_t.status_notification
            | lt.alert.category_t.storage_notification)
    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "hashing_threads": args.hashing_threads,
        "alert_mask": int(mask),
    })
    try:
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(args.torrent)
    except RuntimeError as exc:
        fail("load torrent %s: %s" % (args.torrent, exc))
    atp.save_path = args.save
    # Not auto-managed and not paused: the check starts at once.
    atp.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
    start = time.monotonic()
    h = ses.add_torrent(atp)
    while True:
        if time.monotonic() - start > args.timeout:
            fail("no torrent_checked_alert after %.0fs: %s" % (args.timeout, h.status().state))
        ses.wait_for_alert(100)
        for a in ses.pop_alerts():
            if isinstance(a, lt.torrent_checked_alert):
                seconds = time.monotonic() - start
                st = h.status()
                ru = resource.getrusage(resource.RUSAGE_SELF)
                print(json.dumps({"event": "checked", "seconds": seconds, "pieces_ok": st.num_pieces,
                                  "num_pieces": atp.ti.num_pieces(),
                                  "cpu_seconds": ru.ru_utime + ru.ru_stime}), flush=True)
                return 0
            if isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
                fail("%s: %s" % (a.what(), a.message()))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
