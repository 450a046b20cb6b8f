#!/usr/bin/python3
"""lt_state.py: saves and loads session state with libtorrent 2.0.8, for
internal/sessionstate's tests. Test-only; run under Debian's /usr/bin/python3.

  fixtures --out DIR      write the committed fixtures (lt208_*.state, and
                          the settings tables lt208_defaults.json and
                          lt208_nondefault.json) into DIR; run it from the
                          package directory as
                          /usr/bin/python3 testdata/lt_state.py fixtures --out testdata
  save --settings JSON [--flags NAMES] [--dht]
                          start a session, apply the settings (a JSON object
                          name -> value), save_state(flags) and print
                          {"state": hex, "settings": get_settings()}
  load --state FILE [--flags NAMES] [--dht [--restart-dht]]
                          start a session, load_state(bdecode(FILE), flags)
                          and print {"before": get_settings() before the load,
                          "after": get_settings() after it, "node_ids": hex of
                          the node ids a save_state then reports (after
                          restarting the DHT, with --restart-dht)}

NAMES is a comma-separated list of libtorrent's save_state_flags_t names
(save_settings,save_dht_state,...); without --flags every flag is set, as
save_state()'s default 0xffffffff. Libtorrent 2.0.8's flag values differ from
1.0's for everything past save_dht_state, so the Go side passes names.

Every session listens on 127.0.0.1 only, with LSD, UPnP and NAT-PMP off and no
DHT bootstrap nodes; --dht runs the DHT (on loopback) so that save_state
writes "dht state". Nothing here talks to another address. On failure the
script prints {"error": ...} and exits 1.
"""

import argparse
import json
import sys
import time

import libtorrent as lt

# Settings that keep a session on loopback. They are not libtorrent's
# defaults, so every state saved here lists them under "settings".
SAFE = {
    "listen_interfaces": "127.0.0.1:0",
    "enable_lsd": False,
    "enable_upnp": False,
    "enable_natpmp": False,
    "enable_dht": False,
    "dht_bootstrap_nodes": "",
}

# Non-default settings of all three kinds, including the ones 1.0 kept in
# its own "proxy", "encryption" and "dht" dicts. The proxy points at a closed
# loopback port. fixtures_test.go checks a few of them by value.
NON_DEFAULT = {
    "user_agent": "actorrent-fixture/1.0",
    "handshake_client_version": "fixture 1.0",
    "peer_fingerprint": "-FX0100-",
    "proxy_hostname": "127.0.0.1",
    "proxy_username": "fixture-user",
    "proxy_password": "fixture-pass",
    "proxy_port": 9,
    "proxy_type": 2,
    "proxy_hostnames": False,
    "proxy_peer_connections": False,
    "upload_rate_limit": 123456,
    "download_rate_limit": 654321,
    "connections_limit": 321,
    "active_downloads": 7,
    "active_seeds": -1,
    "alert_queue_size": 2000,
    "out_enc_policy": 2,
    "in_enc_policy": 1,
    "allowed_enc_level": 1,
    "prefer_rc4": True,
    "announce_to_all_trackers": True,
    "strict_super_seeding": True,
    "rate_limit_ip_overhead": False,
    "dht_max_peers_reply": 50,
    "dht_search_branching": 8,
    "dht_restrict_routing_ips": False,
    "dht_privacy_lookups": True,
    "dht_item_lifetime": 600,
}

FLAG_NAMES = [
    "save_settings", "save_dht_settings", "save_dht_state",
    "save_encryption_settings", "save_as_map", "save_proxy",
    "save_i2p_proxy", "save_dht_proxy", "save_peer_proxy",
    "save_web_proxy", "save_tracker_proxy",
]


def fail(msg):
    print(json.dumps({"error": msg}))
    sys.exit(1)


def parse_flags(names):
    if names is None:
        return 0xffffffff
    flags = 0
    for n in filter(None, names.split(",")):
        if n not in FLAG_NAMES:
            fail("unknown flag %r" % n)
        flags |= int(getattr(lt.save_state_flags_t, n))
    return flags


def new_session(settings=None, dht=False):
    pack = dict(SAFE)
    pack.update(settings or {})
    pack["enable_dht"] = dht
    return lt.session(pack)


def wait_dht(ses):
    """Waits until the DHT runs: save_state writes "dht state" only then."""
    deadline = time.time() + 10
    while time.time() < deadline:
        if ses.is_dht_running():
            return
        time.sleep(0.05)
    fail("DHT did not start")


def dht_swarm():
    """Four sessions whose DHTs know each other on loopback, so that the
    first one's "dht state" lists real nodes."""
    first = new_session({"dht_restrict_routing_ips": False,
                         "dht_restrict_search_ips": False,
                         "dht_ignore_dark_internet": False}, dht=True)
    wait_dht(first)
    port = first.listen_port()
    others = []
    for _ in range(3):
        s = new_session({"dht_restrict_routing_ips": False,
                         "dht_restrict_search_ips": False,
                         "dht_ignore_dark_internet": False,
                         "dht_bootstrap_nodes": "127.0.0.1:%d" % port}, dht=True)
        wait_dht(s)
        others.append(s)
    deadline = time.time() + 20
    while time.time() < deadline:
        st = first.save_state(int(lt.save_state_flags_t.save_dht_state))
        if len(st.get(b"dht state", {}).get(b"nodes", [])) >= 2:
            return first, others
        time.sleep(0.2)
    fail("DHT nodes did not find each other")


def to_json(settings):
    return (json.dumps(settings, sort_keys=True, indent=1) + "\n").encode()


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def fixtures(args):
    out = args.out.rstrip("/") + "/"
    f = lt.save_state_flags_t

    # libtorrent's settings table (name -> default), which the tests use
    # for the kinds and defaults. default_settings() leaves out the string
    # settings whose default is a null pointer (announce_ip, mmap_cache,
    # handshake_client_version); non_default_settings compares them as "".
    defaults = lt.default_settings()
    for name, value in new_session().get_settings().items():
        if name not in defaults:
            if not isinstance(value, str):
                fail("setting %s missing from default_settings()" % name)
            defaults[name] = ""
    write(out + "lt208_defaults.json", to_json(defaults))

    # The smallest state a loopback session can have: SAFE and DHT defaults.
    write(out + "lt208_default.state", lt.bencode(new_session().save_state()))
    # With it, every current setting of that session: save_state's input.
    ses = new_session(NON_DEFAULT)
    write(out + "lt208_nondefault.state", lt.bencode(ses.save_state()))
    write(out + "lt208_nondefault.json", to_json(ses.get_settings()))

    # A running DHT with nodes, saved with every flag and with each alone.
    ses, _others = dht_swarm()
    ses.apply_settings(NON_DEFAULT)
    write(out + "lt208_dht.state", lt.bencode(ses.save_state()))
    for name in FLAG_NAMES:
        write(out + "lt208_flag_%s.state" % name,
              lt.bencode(ses.save_state(int(getattr(f, name)))))

    # The 2.0 API: write_session_params_buf of a session_params that went
    # through read_session_params (python cannot set ext_state, nids or
    # nodes6 directly), with every key 2.0.8 can write.
    crafted = {
        b"settings": {b"upload_rate_limit": 1000, b"user_agent": b"params",
                      b"prefer_rc4": 1},
        b"dht state": {
            b"node-id": [bytes(range(20)) + bytes([127, 0, 0, 1]),
                         bytes(range(20, 40)) + bytes(15) + b"\x01"],
            b"nodes": [bytes([127, 0, 0, 1, 0x1a, 0xe1])],
            b"nodes6": [bytes(15) + b"\x01" + b"\x1a\xe2"],
        },
        b"extensions": {b"fixture_plugin": b"opaque\x00state"},
    }
    params = lt.read_session_params(lt.bencode(crafted))
    filt = lt.ip_filter()
    filt.add_rule("10.0.0.0", "10.255.255.255", 1)
    filt.add_rule("192.168.1.1", "192.168.1.1", 1)
    filt.add_rule("fe80::", "fe80::ffff", 1)
    params.ip_filter = filt
    write(out + "lt208_params.state", lt.write_session_params_buf(params))
    print(json.dumps({"written": out}))


def save(args):
    try:
        settings = json.loads(args.settings)
    except ValueError as exc:
        fail("bad --settings: %s" % exc)
    ses = new_session(dht=args.dht)
    ses.apply_settings(settings)
    if args.dht:
        wait_dht(ses)
    st = ses.save_state(parse_flags(args.flags))
    print(json.dumps({"state": lt.bencode(st).hex(),
                      "settings": ses.get_settings()}))


def load(args):
    with open(args.state, "rb") as fh:
        buf = fh.read()
    ses = new_session(dht=args.dht)
    if args.dht:
        wait_dht(ses)
    before = ses.get_settings()
    e = lt.bdecode(buf)
    if e is None:
        fail("bdecode failed")
    ses.load_state(e, parse_flags(args.flags))
    after = ses.get_settings()
    node_ids = []
    if args.dht:
        if args.restart_dht:
            # load_state restarts the DHT with the loaded "dht state" only
            # when it loads no "settings"; otherwise the state waits for
            # the DHT's next start, which this forces. (A restart consumes
            # the state: the one after it gets a random id.)
            ses.apply_settings({"enable_dht": False})
            ses.apply_settings({"enable_dht": True})
            wait_dht(ses)
        deadline = time.time() + 10
        while time.time() < deadline:
            st = ses.save_state(int(lt.save_state_flags_t.save_dht_state))
            node_ids = [n.hex() for n in st.get(b"dht state", {}).get(b"node-id", [])]
            if node_ids:
                break
            time.sleep(0.05)
    print(json.dumps({"before": before, "after": after, "node_ids": node_ids}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["fixtures", "save", "load"])
    ap.add_argument("--out")
    ap.add_argument("--settings", default="{}")
    ap.add_argument("--state")
    ap.add_argument("--flags")
    ap.add_argument("--dht", action="store_true")
    ap.add_argument("--restart-dht", action="store_true")
    args = ap.parse_args()
    if args.mode == "fixtures":
        if not args.out:
            fail("fixtures needs --out")
        fixtures(args)
    elif args.mode == "save":
        save(args)
    else:
        if not args.state:
            fail("load needs --state")
        load(args)


if __name__ == "__main__":
    main()
