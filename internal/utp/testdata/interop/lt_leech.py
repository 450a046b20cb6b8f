# A libtorrent 2.0.8 downloader that connects to CONNECT_TO over uTP only,
# for the manual interop tests in interop_manual_test.go.
# Usage: lt_leech.py DIR CONNECT_TO SIZE [big]; "big" gives libtorrent 4 MiB
# socket buffers (what it needs on loopback at speed; TestInteropSocketUpload
# in socket_interop_manual_test.go). Writes DIR/src/g.bin (SIZE random
# bytes) for the Go side to serve, prints "INFOHASH <hex>", then
# "DONE <seconds>" once the download is complete and verified.
import libtorrent as lt, sys, time, os
d, connect, size = sys.argv[1], sys.argv[2], int(sys.argv[3])
big = len(sys.argv) > 4 and sys.argv[4] == "big"
src, dst = os.path.join(d, "src"), os.path.join(d, "dst")
os.makedirs(src, exist_ok=True)
os.makedirs(dst, exist_ok=True)
path = os.path.join(src, "g.bin")
with open(path, "wb") as f:
    f.write(os.urandom(size))
fs = lt.file_storage()
lt.add_files(fs, path)
t = lt.create_torrent(fs, 262144, flags=lt.create_torrent.v1_only)
lt.set_piece_hashes(t, src)
ti = lt.torrent_info(t.generate())
settings = {"listen_interfaces": "127.0.0.1:0",
            "enable_outgoing_tcp": False, "enable_incoming_tcp": False,
            "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
            "out_enc_policy": 2, "in_enc_policy": 2,
            "alert_mask": lt.alert.category_t.all_categories}
if big:
    settings.update({"recv_socket_buffer_size": 4 << 20, "send_socket_buffer_size": 4 << 20})
s = lt.session(settings)
h = s.add_torrent({"ti": ti, "save_path": dst})
print("INFOHASH", str(ti.info_hash()), flush=True)
host, p = connect.split(":")
h.connect_peer((host, int(p)))
start = time.time()
while time.time() < start + 60:
    s.wait_for_alert(200)
    for a in s.pop_alerts():
        if a.what() in ("torrent_finished", "peer_disconnected", "peer_error", "hash_failed"):
            print("ALERT", a.what(), a.message(), flush=True)
    if h.status().is_seeding:
        print("DONE %.3f" % (time.time() - start), flush=True)
        break
