# A libtorrent 2.0.8 seed of SIZE random bytes, reachable over uTP only,
# with 4 MiB socket buffers (what libtorrent needs on loopback), for
# TestInteropSocketDownloadBig in socket_interop_manual_test.go.
# Usage: lt_seed_big.py DIR PORT SIZE. Prints "INFOHASH <hex>" once
# listening; exits after 120 s.
import libtorrent as lt, sys, time, os
d, port, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
path = os.path.join(d, "f.bin")
with open(path, "wb") as f:
    f.write(os.urandom(size))
fs = lt.file_storage()
lt.add_files(fs, path)
t = lt.create_torrent(fs, 262144, flags=lt.create_torrent.v1_only)
lt.set_piece_hashes(t, d)
ti = lt.torrent_info(t.generate())
s = lt.session({"listen_interfaces": "127.0.0.1:%d" % port,
                "enable_outgoing_tcp": False, "enable_incoming_tcp": False,
                "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
                "out_enc_policy": 2, "in_enc_policy": 2,
                "recv_socket_buffer_size": 4 << 20, "send_socket_buffer_size": 4 << 20,
                "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.status_notification})
h = s.add_torrent({"ti": ti, "save_path": d, "flags": lt.torrent_flags.seed_mode})
listening = False
end = time.time() + 120
while time.time() < end:
    s.wait_for_alert(200)
    for a in s.pop_alerts():
        if a.what() == "listen_succeeded" and not listening:
            listening = True
            print("INFOHASH", str(ti.info_hash()), flush=True)
