# A libtorrent 2.0.8 seed reachable over uTP only, for the manual interop
# tests in interop_manual_test.go. Usage: lt_seed.py DIR PORT [CONNECT_TO]
# Prints "INFOHASH <hex>" once listening, then peer alerts; exits after 30 s.
import libtorrent as lt, sys, time, os
d, port = sys.argv[1], int(sys.argv[2])
connect = sys.argv[3] if len(sys.argv) > 3 else ""
path = os.path.join(d, "f.bin")
with open(path, "wb") as f:
    f.write(os.urandom(256 * 1024))
fs = lt.file_storage()
lt.add_files(fs, path)
t = lt.create_torrent(fs, 16384, flags=lt.create_torrent.v1_only)
lt.set_piece_hashes(t, d)
ti = lt.torrent_info(t.generate())
s = lt.session({"listen_interfaces": "127.0.0.1:%d" % port,
                "enable_outgoing_tcp": False, "enable_incoming_tcp": False,
                "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
                "out_enc_policy": 2, "in_enc_policy": 2,
                "alert_mask": lt.alert.category_t.all_categories})
h = s.add_torrent({"ti": ti, "save_path": d, "flags": lt.torrent_flags.seed_mode})
listening = False
end = time.time() + 30
while time.time() < end:
    s.wait_for_alert(200)
    for a in s.pop_alerts():
        if a.what() == "listen_succeeded" and not listening:
            listening = True
            print("INFOHASH", str(ti.info_hash()), flush=True)
            if connect:
                host, p = connect.split(":")
                h.connect_peer((host, int(p)))
        elif a.what() in ("peer_disconnected", "peer_error", "peer_connect", "incoming_connection"):
            print("ALERT", a.what(), a.message(), flush=True)
