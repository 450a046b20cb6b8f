#!/usr/bin/python3
"""lt_peer.py: a scriptable libtorrent 2.0 peer for actorrent's interop tests.

Every line on stdout is one JSON object (flushed at once) so that the Go
harness can follow the peer's life: listening, added, progress, seeding,
finished, alert, tracker_reply, created, info, error. Only loopback is ever
used: DHT, LSD, UPnP and NAT-PMP are off and we listen on 127.0.0.1.

Modes:
  seed      --torrent F --save DIR [--seed-mode] [--upload-limit BPS]
            [--resume-in F] [--resume-out F]
  download  (--torrent F | --magnet URI) --save DIR [--peer HOST:PORT]...
            [--download-limit BPS] [--timeout S] [--keep-seeding]
  create    --path P --out F --piece-size N [--tracker URL]... [--hybrid]
  info      --torrent F
  dht       --dht-bootstrap HOST:PORT... [--put-item HEX] [--get-item HEX]
            [--put-mutable STR --key-seed HEX --key HEX] [--get-mutable HEX]
            [--salt HEX] [--min-seq N]
            a DHT node with no torrent: puts a bencoded immutable item
            ("item_put" once done) and/or gets one by target ("item");
            puts the string STR as a mutable item of the ed25519 key made
            from the seed (public key --key) under --salt ("item_put" with
            seq), and/or gets the mutable item of public key HEX and --salt
            until its seq is at least --min-seq ("mutable_item")
--resume-in adds the torrent with that fast-resume file; --resume-out
saves fast-resume data (with the info dict) there once seeding and says
"resume_saved". Every state change is a "state" line.
Common: --listen 127.0.0.1:0, --tracker URL (extra trackers), --tracker-only,
        --utp / --no-utp (default: TCP only), --utp-only (uTP in and out,
        TCP off both ways),
        --dht-bootstrap HOST:PORT (repeatable: the DHT on, bootstrapping from
        them, and the torrent on the DHT; listen then on an address of its
        own, 127.0.N.1, as libtorrent keeps one DHT node per /24).
Alert lines carry socket_type where libtorrent's alert has one (2.0's
socket_type_t: tcp 0, utp 3); progress lines count the connected peers
by transport (tcp_peers, utp_peers: peer_info's utp_socket flag).
A running peer exits 0 when stdin reaches EOF or on SIGTERM/SIGINT.
"""

import argparse
import hashlib
import json
import os
import resource
import signal
import sys
import threading
import time

try:
    import libtorrent as lt
except ImportError as exc:  # reported as a JSON error so Go can show it
    sys.stdout.write(json.dumps({"event": "error", "message": "import libtorrent: %s" % exc}) + "\n")
    sys.stdout.flush()
    sys.exit(1)

PROGRESS_INTERVAL = 0.5
RECONNECT_INTERVAL = 2.0

# Alerts worth a line even though they are not in the error category.
INTERESTING_ALERTS = {
    "hash_failed",
    "peer_error",
    "peer_disconnected",
    "torrent_error",
    "file_error",
    "listen_failed",
    "tracker_error",
    "tracker_warning",
    "metadata_failed",
    "metadata_received",
    "peer_connect",
    "incoming_connection",
    "lsd_peer",
    "dht_reply",
    "dht_announce",
    "dht_get_peers",
    "dht_bootstrap",
}

_out_lock = threading.Lock()
_saved_resume = []  # bencoded resume data from save_resume_data alerts
_stop = threading.Event()


def emit(obj):
    """Print one JSON line and flush: the Go side reads line by line."""
    line = json.dumps(obj)
    with _out_lock:
        try:
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
        except (BrokenPipeError, ValueError):
            # The harness went away: nobody is listening, stop quietly.
            _stop.set()


def fail(message, code=1):
    emit({"event": "error", "message": message})
    sys.exit(code)


def _on_signal(signum, _frame):
    _stop.set()


def _watch_stdin():
    """EOF on stdin is the harness's polite way to say 'stop now'."""
    try:
        while True:
            # os.read on the raw fd: a daemon thread blocked in a buffered
            # reader would abort the interpreter at shutdown.
            chunk = os.read(0, 4096)
            if not chunk:
                break
    except (OSError, ValueError):
        pass
    _stop.set()


def parse_args(argv):
    p = argparse.ArgumentParser(prog="lt_peer.py")
    p.add_argument("mode", choices=["seed", "download", "create", "info", "dht"])
    p.add_argument("--torrent")
    p.add_argument("--magnet")
    p.add_argument("--save")
    p.add_argument("--peer", action="append", default=[])
    p.add_argument("--tracker", action="append", default=[])
    p.add_argument("--tracker-only", action="store_true")
    p.add_argument("--lsd", action="store_true")
    p.add_argument("--listen", default="127.0.0.1:0")
    p.add_argument("--upload-limit", type=int, default=0)
    p.add_argument("--download-limit", type=int, default=0)
    p.add_argument("--seed-mode", action="store_true")
    p.add_argument("--keep-seeding", action="store_true")
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument("--utp", dest="utp", action="store_true")
    p.add_argument("--no-utp", dest="utp", action="store_false")
    p.set_defaults(utp=False)
    p.add_argument("--utp-only", action="store_true")
    # create mode
    p.add_argument("--path")
    p.add_argument("--out")
    p.add_argument("--piece-size", type=int, default=0)
    p.add_argument("--hybrid", action="store_true")
    p.add_argument("--resume-in")
    p.add_argument("--resume-out")
    p.add_argument("--watch-peer", type=int, default=0)
    p.add_argument("--dht-bootstrap", action="append", default=[])
    p.add_argument("--put-item")
    p.add_argument("--get-item")
    p.add_argument("--put-mutable")
    p.add_argument("--key-seed")
    p.add_argument("--key")
    p.add_argument("--get-mutable")
    p.add_argument("--salt", default="")
    p.add_argument("--min-seq", type=int, default=1)
    return p.parse_args(argv)


def hex_v1(ih):
    """The v1 info-hash of an info_hash_t (or a plain sha1_hash) as hex."""
    v1 = getattr(ih, "v1", ih)
    return str(v1)


def parse_hostport(s):
    host, sep, port = s.rpartition(":")
    if not sep or not host:
        raise ValueError("peer %r is not HOST:PORT" % s)
    return host.strip("[]"), int(port)


def make_session(args):
    mask = (
        lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification
        | lt.alert.category_t.storage_notification
        | lt.alert.category_t.tracker_notification
        | lt.alert.category_t.peer_notification
        | lt.alert.category_t.connect_notification
    )
    settings = {
        "listen_interfaces": args.listen,
        "outgoing_interfaces": "",
        "enable_dht": False,
        "enable_lsd": args.lsd,
        "enable_upnp": False,
        "enable_natpmp": False,
        # Plaintext out, but accept encrypted or plain in: our engine speaks plaintext.
        "out_enc_policy": int(lt.enc_policy.pe_disabled),
        "in_enc_policy": int(lt.enc_policy.pe_enabled),
        "allow_multiple_connections_per_ip": True,
        "announce_to_all_tiers": True,
        "announce_to_all_trackers": True,
        "enable_incoming_utp": args.utp or args.utp_only,
        "enable_outgoing_utp": args.utp or args.utp_only,
        "enable_incoming_tcp": not args.utp_only,
        "enable_outgoing_tcp": not args.utp_only,
        "alert_mask": int(mask),
        "stop_tracker_timeout": 1,
        "user_agent": "actorrent-interop/libtorrent-" + lt.__version__,
    }
    if args.lsd:
        # Announce every 2 s (one torrent): a test need not catch the
        # announce at the torrent's start.
        settings["local_service_announce_interval"] = 2
    if args.dht_bootstrap:
        settings["enable_dht"] = True
        settings["dht_bootstrap_nodes"] = ",".join(args.dht_bootstrap)
        # Quick lookups on a handful of loopback nodes.
        settings["dht_announce_interval"] = 10
        settings["alert_mask"] = int(mask | lt.alert.category_t.dht_notification
                                     | lt.alert.category_t.dht_operation_notification)
    if args.upload_limit > 0:
        settings["upload_rate_limit"] = args.upload_limit
    if args.download_limit > 0:
        settings["download_rate_limit"] = args.download_limit
    ses = lt.session(settings)
    if args.upload_limit > 0 or args.download_limit > 0:
        # Loopback peers sit in the unlimited local class; move every address
        # into the global class so the session rate limits apply to them.
        f = lt.ip_filter()
        f.add_rule("0.0.0.0", "255.255.255.255", 1 << ses.global_peer_class_id)
        f.add_rule("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", 1 << ses.global_peer_class_id)
        ses.set_peer_class_filter(f)
    deadline = time.monotonic() + 10
    while ses.listen_port() == 0:
        if time.monotonic() > deadline:
            fail("session did not start listening on %s" % args.listen)
        time.sleep(0.01)
    emit({"event": "listening", "port": ses.listen_port()})
    return ses


def add_torrent(ses, args):
    if args.torrent:
        try:
            atp = lt.add_torrent_params()
            atp.ti = lt.torrent_info(args.torrent)
        except RuntimeError as exc:
            fail("load torrent %s: %s" % (args.torrent, exc))
    elif args.magnet:
        try:
            atp = lt.parse_magnet_uri(args.magnet)
        except RuntimeError as exc:
            fail("parse magnet: %s" % exc)
    else:
        fail("need --torrent or --magnet")
    if args.resume_in:
        try:
            with open(args.resume_in, "rb") as f:
                rd = lt.read_resume_data(f.read())
        except (OSError, RuntimeError) as exc:
            fail("read resume data %s: %s" % (args.resume_in, exc))
        if args.torrent:
            rd.ti = atp.ti
        atp = rd
    if not args.save:
        fail("need --save")
    atp.save_path = args.save
    # Not auto-managed and not paused: start at once, no queueing surprises.
    flags = atp.flags
    flags &= ~lt.torrent_flags.auto_managed
    flags &= ~lt.torrent_flags.paused
    if not args.lsd:
        flags |= lt.torrent_flags.disable_lsd
    if not args.dht_bootstrap:
        flags |= lt.torrent_flags.disable_dht
    if args.seed_mode:
        flags |= lt.torrent_flags.seed_mode
    atp.flags = flags
    if args.tracker:
        atp.trackers = list(atp.trackers) + list(args.tracker)
    h = ses.add_torrent(atp)
    emit({"event": "added", "info_hash": hex_v1(h.info_hashes())})
    return h


def status_fields(st):
    return {
        "progress": st.progress,
        "download_rate": st.download_rate,
        "upload_rate": st.upload_rate,
        "num_peers": st.num_peers,
        "num_seeds": st.num_seeds,
        "total_download": st.total_download,
        "total_upload": st.total_upload,
        "total_payload_download": st.total_payload_download,
        "total_payload_upload": st.total_payload_upload,
        "total_failed_bytes": st.total_failed_bytes,
        "total_redundant_bytes": st.total_redundant_bytes,
        "state": str(st.state),
    }


def report_alerts(ses):
    """Print the alerts that help debugging; return the list for the caller."""
    alerts = ses.pop_alerts()
    for a in alerts:
        kind = a.what()
        if kind == "tracker_reply":
            emit({"event": "tracker_reply", "type": kind, "message": a.message(),
                  "num_peers": getattr(a, "num_peers", 0), "url": getattr(a, "url", "")})
        elif kind == "state_changed":
            emit({"event": "state", "state": str(a.state), "prev_state": str(a.prev_state)})
        elif kind == "save_resume_data":
            _saved_resume.append(lt.write_resume_data_buf(a.params))
        elif (a.category() & lt.alert.category_t.error_notification) or kind in INTERESTING_ALERTS:
            ev = {"event": "alert", "type": kind, "message": a.message()}
            if hasattr(a, "socket_type"):
                ev["socket_type"] = int(a.socket_type)
            emit(ev)
    return alerts


def usage_fields():
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return {"max_rss_kib": ru.ru_maxrss, "cpu_seconds": ru.ru_utime + ru.ru_stime}


# peer_info's utp_socket flag (17_bit), which the bindings do not name.
UTP_SOCKET = 1 << 17


def transport_fields(h):
    """The connected peers (handshake done) by transport."""
    tcp = utp = 0
    for pi in h.get_peer_info():
        if pi.flags & (lt.peer_info.connecting | lt.peer_info.handshake):
            continue
        if pi.flags & UTP_SOCKET:
            utp += 1
        else:
            tcp += 1
    return {"tcp_peers": tcp, "utp_peers": utp}


def watch_peer(h, port, last):
    """Report how many pieces the peer at port shows us, and how many we
    have, whenever either changes (a super seed's view, seen from here)."""
    for pi in h.get_peer_info():
        if pi.ip[1] != port:
            continue
        now = (sum(1 for b in pi.pieces if b), h.status(0).num_pieces)
        if now != last:
            emit({"event": "peer_pieces", "port": port, "pieces": now[0], "have": now[1]})
        return now
    return last


def run_peer(args):
    if args.mode == "seed" and not args.torrent:
        fail("seed needs --torrent")
    ses = make_session(args)
    h = add_torrent(ses, args)
    added = time.monotonic()
    peers = []
    if not args.tracker_only:
        try:
            peers = [parse_hostport(p) for p in args.peer]
        except ValueError as exc:
            fail(str(exc))

    def connect_all():
        for ep in peers:
            try:
                h.connect_peer(ep)
            except RuntimeError as exc:
                emit({"event": "alert", "type": "connect_peer", "message": str(exc)})

    connect_all()
    last_progress = 0.0
    last_retry = time.monotonic()
    seeding_said = False
    watched = None
    incomplete_said = False
    finished_said = False
    while not _stop.is_set():
        ses.wait_for_alert(100)
        report_alerts(ses)
        now = time.monotonic()
        st = h.status()
        if st.errc.value() != 0:
            fail("torrent error: %s" % st.errc.message())
        done = st.has_metadata and st.state in (lt.torrent_status.finished, lt.torrent_status.seeding)
        if args.watch_peer:
            watched = watch_peer(h, args.watch_peer, watched)
        if now - last_progress >= PROGRESS_INTERVAL:
            last_progress = now
            ev = {"event": "progress"}
            ev.update(status_fields(st))
            ev.update(transport_fields(h))
            emit(ev)
        if args.mode == "seed":
            if not seeding_said and st.state == lt.torrent_status.seeding:
                seeding_said = True
                emit({"event": "seeding", "seconds": now - added})
                if args.resume_out:
                    h.save_resume_data(lt.torrent_handle.save_info_dict)
            if args.resume_out and _saved_resume:
                try:
                    with open(args.resume_out + ".tmp", "wb") as f:
                        f.write(_saved_resume.pop())
                    os.replace(args.resume_out + ".tmp", args.resume_out)
                except OSError as exc:
                    fail("write resume data: %s" % exc)
                emit({"event": "resume_saved", "path": args.resume_out})
            elif not incomplete_said and st.state == lt.torrent_status.downloading:
                # The check found missing or wrong data: say so, since
                # "seeding" will never come.
                incomplete_said = True
                emit({"event": "alert", "type": "seed_incomplete",
                      "message": "files under %s are incomplete after the check: progress=%.4f" %
                      (args.save, st.progress)})
            continue
        if done and not finished_said:
            # The alerts posted since this round's pop (a download on
            # loopback can start and finish between the pop and status()
            # when the machine is loaded): said before "finished", and
            # before a downloader that does not keep seeding exits, so
            # that the harness sees its peer_connect.
            report_alerts(ses)
            finished_said = True
            ev = {"event": "finished", "seconds": now - added}
            ev.update(status_fields(st))
            ev.update(usage_fields())
            emit(ev)
            if not args.keep_seeding:
                return 0
        if done:
            continue
        if now - added > args.timeout:
            fail("timeout after %.1fs: progress=%.4f state=%s peers=%d" %
                 (args.timeout, st.progress, st.state, st.num_peers))
        if st.num_peers == 0 and now - last_retry >= RECONNECT_INTERVAL:
            last_retry = now
            connect_all()
            if not peers:
                # Only a tracker can introduce us: ask again, ignoring its interval.
                h.force_reannounce(0, -1, lt.reannounce_flags_t.ignore_min_interval)
    if args.mode == "download" and not finished_said:
        emit({"event": "stopped", "message": "stopped before finishing"})
        return 3
    return 0


def run_create(args):
    if not args.path or not args.out:
        fail("create needs --path and --out")
    path = os.path.abspath(args.path)
    fs = lt.file_storage()
    lt.add_files(fs, path)
    if fs.num_files() == 0:
        fail("no files under %s" % path)
    flags = 0 if args.hybrid else lt.create_torrent.v1_only
    ct = lt.create_torrent(fs, args.piece_size, flags)
    for tier, url in enumerate(args.tracker):
        ct.add_tracker(url, tier)
    ct.set_creator("actorrent-interop")
    lt.set_piece_hashes(ct, os.path.dirname(path))
    data = lt.bencode(ct.generate())
    with open(args.out, "wb") as f:
        f.write(data)
    ti = lt.torrent_info(args.out)
    emit({"event": "created", "info_hash": hex_v1(ti.info_hashes()), "num_files": fs.num_files(),
          "piece_size": ti.piece_length(), "num_pieces": ti.num_pieces()})
    return 0


def run_info(args):
    if not args.torrent:
        fail("info needs --torrent")
    try:
        ti = lt.torrent_info(args.torrent)
    except RuntimeError as exc:
        fail("load torrent %s: %s" % (args.torrent, exc))
    files = ti.files()
    emit({"event": "info", "info_hash": hex_v1(ti.info_hashes()), "name": ti.name(),
          "total_size": ti.total_size(), "piece_size": ti.piece_length(),
          "num_pieces": ti.num_pieces(), "num_files": files.num_files()})
    return 0


def libtorrent_secret_key(seed):
    """libtorrent's 64-byte ed25519 secret key of a seed: SHA-512 of the
    seed, clamped (ed25519_create_keypair); the binding has no keypair
    function, and Go's private key (seed + public key) is another format."""
    sk = bytearray(hashlib.sha512(seed).digest())
    sk[0] &= 248
    sk[31] &= 63
    sk[31] |= 64
    return bytes(sk)


def run_dht(args):
    """A DHT node with no torrent, for BEP 44 items."""
    if not args.dht_bootstrap:
        fail("dht needs --dht-bootstrap")
    ses = make_session(args)
    salt = bytes.fromhex(args.salt)
    put_done = args.put_item is None and args.put_mutable is None
    got = args.get_item is None and args.get_mutable is None
    put_at = time.monotonic() + 1.0  # after the bootstrap has started
    next_get = time.monotonic() + 1.0
    deadline = time.monotonic() + args.timeout
    while not _stop.is_set() and time.monotonic() < deadline:
        now = time.monotonic()
        if put_at is not None and now >= put_at:
            put_at = None
            if args.put_item is not None:
                ses.dht_put_immutable_item(lt.bdecode(bytes.fromhex(args.put_item)))
            if args.put_mutable is not None:
                # The binding puts the string as the item's value, with
                # seq one more than the highest it found.
                ses.dht_put_mutable_item(libtorrent_secret_key(bytes.fromhex(args.key_seed)),
                                         bytes.fromhex(args.key), args.put_mutable.encode(), salt)
        if not got and now >= next_get:
            next_get = now + 2.0
            if args.get_item is not None:
                ses.dht_get_immutable_item(lt.sha1_hash(bytes.fromhex(args.get_item)))
            else:
                ses.dht_get_mutable_item(bytes.fromhex(args.get_mutable), salt)
        for a in report_alerts(ses):
            kind = a.what()
            if kind == "dht_put":
                put_done = True
                emit({"event": "item_put", "target": str(a.target), "num_success": getattr(a, "num_success", 0),
                      "seq": int(a.seq)})
            elif kind == "dht_immutable_item" and str(a.target) == args.get_item:
                # libtorrent posts it only for a value whose SHA-1 is the
                # target: the bytes are the ones put. (The binding cannot
                # convert the item's entry: "invalid type requested from
                # entry"; its text is in the message.)
                got = True
                emit({"event": "item", "target": str(a.target), "message": a.message()})
            elif kind == "dht_mutable_item" and args.get_mutable is not None and a.authoritative \
                    and a.seq >= args.min_seq:
                # libtorrent checked the signature; the value's text is in
                # the message (the entry again cannot be converted).
                got = True
                emit({"event": "mutable_item", "seq": int(a.seq), "salt": bytes(a.salt, "latin-1").hex()
                      if isinstance(a.salt, str) else bytes(a.salt).hex(), "message": a.message()})
        if put_done and got and args.put_item is None and args.put_mutable is None and not (
                args.get_item is None and args.get_mutable is None):
            break
        time.sleep(0.1)
    return 0


def main(argv):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    if args.mode == "create":
        return run_create(args)
    if args.mode == "info":
        return run_info(args)
    threading.Thread(target=_watch_stdin, daemon=True).start()
    if args.mode == "dht":
        return run_dht(args)
    return run_peer(args)


if __name__ == "__main__":
    try:
        code = main(sys.argv[1:])
    except SystemExit:
        raise
    except Exception as exc:  # anything unexpected becomes a JSON error line
        emit({"event": "error", "message": "%s: %s" % (type(exc).__name__, exc)})
        code = 1
    sys.exit(code)
