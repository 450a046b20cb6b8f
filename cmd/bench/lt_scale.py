# lt_scale.py: libtorrent's side of the scale_* bench lines (scale.go).
#   lt_scale.py add N SAVE    N paused torrents added with async_add_torrent
#   lt_scale.py idle N SAVE SECONDS
#                             N started torrents without peers or trackers:
#                             CPU over SECONDS, one bulk status, and the
#                             session's deletion timed
# Prints one JSON object. The torrents are made as scale_child.go makes
# ours: one 16 KiB file each, distinct names, so distinct info-hashes.
import json, os, sys, time
import libtorrent as lt


def vmrss_kib():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def torrents(n):
    return [lt.bencode({b"info": {b"name": b"scale-%d" % i, b"length": 16384,
                                  b"piece length": 16384, b"pieces": (b"%020d" % i)}})
            for i in range(n)]


def session():
    s = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                    "enable_upnp": False, "enable_natpmp": False,
                    "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification,
                    "alert_queue_size": 1 << 20})
    return s


def add_all(s, raw, save, flags):
    t0 = time.perf_counter()
    for b in raw:
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(b)
        atp.save_path = save
        atp.flags = flags
        s.async_add_torrent(atp)
    added = 0
    while added < len(raw):
        s.wait_for_alert(1000)
        for a in s.pop_alerts():
            if isinstance(a, lt.add_torrent_alert):
                if a.error.value():
                    raise SystemExit("add failed: %s" % a.error.message())
                added += 1
    return time.perf_counter() - t0


def main():
    mode, n, save = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    raw = torrents(n)
    s = session()
    out = {}
    if mode == "add":
        before = vmrss_kib()
        out["seconds"] = add_all(s, raw, save, lt.torrent_flags.paused)
        out["rss_before_kib"], out["rss_after_kib"] = before, vmrss_kib()
        # the session's deletion (a minute with 100k torrents) is not
        # this line's: exit without it
        print(json.dumps(out), flush=True)
        os._exit(0)
    else:
        secs = float(sys.argv[4])
        out["add_seconds"] = add_all(s, raw, save, lt.torrent_flags.paused & 0)
        # wait until no torrent checks (they have no files: quick)
        checking = (lt.torrent_status.states.checking_files, lt.torrent_status.states.checking_resume_data)
        while any(st.state in checking for st in s.get_torrent_status(lambda st: True, 0)):
            time.sleep(0.1)
        s.pop_alerts()
        c0, t0 = time.process_time(), time.perf_counter()
        time.sleep(secs)
        out["cpu_seconds"], out["wall_seconds"] = time.process_time() - c0, time.perf_counter() - t0
        # the status of idle torrents: the median of 5 calls
        times = []
        for _ in range(5):
            t0 = time.perf_counter()
            st = s.get_torrent_status(lambda st: True, 0)
            times.append(time.perf_counter() - t0)
            out["status_count"] = len(st)
            del st
        out["status_seconds"] = sorted(times)[2]
        t0 = time.perf_counter()
        del s
        out["close_seconds"] = time.perf_counter() - t0
    print(json.dumps(out))


main()
