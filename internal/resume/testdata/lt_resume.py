#!/usr/bin/python3
"""lt_resume.py: makes and loads fast-resume files with libtorrent 2.0.8, for
internal/resume's tests. Test-only; run under Debian's /usr/bin/python3.

  save --torrent F --save DIR --out R   add F (files present), wait until it
                                        seeds, save_resume_data(save_info_dict)
                                        and write write_resume_data_buf to R
  load --resume R --save DIR            read_resume_data(R), add it and report
                                        how it came up (states, rejection,
                                        pieces at torrent_checked), waiting at
                                        most --timeout for it to seed (or
                                        until the check shows it can't)

Each mode prints one JSON object on stdout and exits 0; on failure it prints
{"error": ...} and exits 1. Every wait is bounded by --timeout (default 10 s).
Only loopback is used: DHT, LSD, UPnP and NAT-PMP are off.
"""

import argparse
import json
import sys
import time

import libtorrent as lt


def fail(msg):
    print(json.dumps({"error": msg}))
    sys.exit(1)


def new_session():
    return lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "alert_mask": lt.alert.category_t.all_categories,
    })


def state_name(s):
    return str(s).split(".")[-1]


def alerts_until(ses, deadline, done):
    """Feeds every alert to done(alert) until it returns True; False on
    timeout."""
    while time.time() < deadline:
        ses.wait_for_alert(100)
        for a in ses.pop_alerts():
            if isinstance(a, lt.torrent_error_alert):
                fail("torrent error: %s" % a.message())
            if done(a):
                return True
    return False


def save(args):
    ses = new_session()
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(args.torrent)
    atp.save_path = args.save
    h = ses.add_torrent(atp)
    deadline = time.time() + args.timeout
    if not alerts_until(ses, deadline, lambda a: h.status().state == lt.torrent_status.seeding):
        fail("timed out waiting for seeding")
    h.save_resume_data(lt.save_resume_flags_t.save_info_dict)
    got = {}

    def on_alert(a):
        if isinstance(a, lt.save_resume_data_failed_alert):
            fail("save_resume_data failed: %s" % a.message())
        if isinstance(a, lt.save_resume_data_alert):
            got["buf"] = lt.write_resume_data_buf(a.params)
            return True
        return False

    if not alerts_until(ses, deadline, on_alert):
        fail("timed out waiting for save_resume_data_alert")
    with open(args.out, "wb") as f:
        f.write(got["buf"])
    print(json.dumps({"saved": len(got["buf"])}))


def load(args):
    with open(args.resume, "rb") as f:
        buf = f.read()
    try:
        atp = lt.read_resume_data(buf)
    except Exception as exc:  # libtorrent raises system_error
        fail("read_resume_data: %s" % exc)
    atp.save_path = args.save
    ses = new_session()
    h = ses.add_torrent(atp)
    report = {"states": [], "rejected": None, "pieces_at_checked": None,
              "seeding": False, "trackers": []}

    def on_alert(a):
        if isinstance(a, lt.state_changed_alert):
            report["states"].append(state_name(a.state))
        elif isinstance(a, lt.fastresume_rejected_alert):
            report["rejected"] = a.message()
        elif isinstance(a, lt.torrent_checked_alert):
            # Right after the check: a full check would have had to read
            # the files; pieces already set mean the resume data was taken.
            report["pieces_at_checked"] = list(h.status().pieces)
            if not all(report["pieces_at_checked"]):
                return True  # a full check found pieces missing: it won't seed
        if report["pieces_at_checked"] is not None and \
                h.status().state == lt.torrent_status.seeding:
            report["seeding"] = True
            return True
        return False

    report["timed_out"] = not alerts_until(ses, time.time() + args.timeout, on_alert)
    report["trackers"] = [[t["url"], t["tier"]] for t in h.trackers()]
    print(json.dumps(report))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["save", "load"])
    ap.add_argument("--torrent")
    ap.add_argument("--save", required=True)
    ap.add_argument("--out")
    ap.add_argument("--resume")
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    if args.mode == "save":
        save(args)
    else:
        load(args)


if __name__ == "__main__":
    main()
