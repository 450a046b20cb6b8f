# lt_rate.py: the libtorrent side of the ratelimit_2MBps bench line.
#
# It runs, in one process, an optional libtorrent seeder and N libtorrent
# leechers of one torrent, samples the leechers' payload counters every
# 50 ms and prints the rate of each over a window that starts `lead`
# seconds after every counter first moved. PEX is off, so leechers never
# learn of each other and take their bytes from the seeder only.
#
# Output, one JSON object a line on stdout:
#   {"event": "listening", "port": P}     (with an in-process seeder)
#   {"event": "result", "rates": [...], "bytes": [...], "window": W}
#   {"event": "error", "message": ...}    (then exit 1)
import argparse
import json
import os
import sys
import time

import libtorrent as lt


def emit(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def fail(message):
    emit({"event": "error", "message": message})
    sys.exit(1)


def session(upload_limit, download_limit):
    settings = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "enable_incoming_utp": False,
        "enable_outgoing_utp": False,
        "out_enc_policy": int(lt.enc_policy.pe_disabled),
        "in_enc_policy": int(lt.enc_policy.pe_enabled),
        "allow_multiple_connections_per_ip": True,
        "alert_mask": 0,
    }
    if upload_limit > 0:
        settings["upload_rate_limit"] = upload_limit
    if download_limit > 0:
        settings["download_rate_limit"] = download_limit
    ses = lt.session(settings)
    if upload_limit > 0 or download_limit > 0:
        # Loopback peers are in the unlimited local class by default: put
        # every address in the global class so the limits hold for them.
        f = lt.ip_filter()
        f.add_rule("0.0.0.0", "255.255.255.255", 1 << ses.global_peer_class_id)
        f.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 << ses.global_peer_class_id)
        ses.set_peer_class_filter(f)
    deadline = time.monotonic() + 10
    while ses.listen_port() == 0:
        if time.monotonic() > deadline:
            fail("session did not listen")
        time.sleep(0.01)
    return ses


def add(ses, torrent, save, seed):
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(torrent)
    atp.save_path = save
    flags = atp.flags & ~lt.torrent_flags.auto_managed & ~lt.torrent_flags.paused
    flags |= lt.torrent_flags.disable_dht | lt.torrent_flags.disable_lsd | lt.torrent_flags.disable_pex
    if seed:
        flags |= lt.torrent_flags.seed_mode
    atp.flags = flags
    return ses.add_torrent(atp)


def at(samples, i, t):
    """Counter i at time t, interpolated between the samples around it."""
    for (t0, v0), (t1, v1) in zip(samples, samples[1:]):
        if t0 <= t <= t1:
            a, b = v0[i], v1[i]
            return a + (b - a) * (t - t0) / (t1 - t0) if t1 > t0 else b
    return samples[-1][1][i]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--torrent", required=True)
    p.add_argument("--seed-dir", default="")
    p.add_argument("--work", required=True)
    p.add_argument("--connect", default="", help="host:port of an outside seeder")
    p.add_argument("--seed-upload-limit", type=int, default=0)
    p.add_argument("--leechers", type=int, default=1)
    p.add_argument("--leech-download-limit", type=int, default=0)
    p.add_argument("--lead", type=float, default=2)
    p.add_argument("--window", type=float, default=10)
    p.add_argument("--timeout", type=float, default=120)
    args = p.parse_args()

    sessions = []  # kept alive until the end
    target = args.connect
    if not target:
        ses = session(args.seed_upload_limit, 0)
        sessions.append(ses)
        add(ses, args.torrent, args.seed_dir, True)
        target = "127.0.0.1:%d" % ses.listen_port()
        emit({"event": "listening", "port": ses.listen_port()})
    host, port = target.rsplit(":", 1)
    leechers = []
    for i in range(args.leechers):
        ses = session(0, args.leech_download_limit)
        sessions.append(ses)
        save = os.path.join(args.work, "leecher-%d" % i)
        os.makedirs(save, exist_ok=True)
        h = add(ses, args.torrent, save, False)
        h.connect_peer((host, int(port)))
        leechers.append(h)

    def read():
        return [h.status().total_payload_download for h in leechers]

    start = time.monotonic()
    samples = []
    began = None
    while True:
        now = time.monotonic()
        values = read()
        samples.append((now, values))
        if began is None and all(v > 0 for v in values):
            began = now
        if began is not None and now > began + args.lead + args.window + 0.1:
            break
        if now - start > args.timeout:
            fail("timeout: counters %s after %.0f s" % (values, now - start))
        time.sleep(0.05)
    t0, t1 = began + args.lead, began + args.lead + args.window
    moved = [at(samples, i, t1) - at(samples, i, t0) for i in range(len(samples[0][1]))]
    emit({"event": "result", "rates": [m / args.window for m in moved], "bytes": moved, "window": args.window})


if __name__ == "__main__":
    main()
