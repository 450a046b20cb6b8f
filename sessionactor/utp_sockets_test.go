package sessionactor

import (
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/utp"
)

// A listen interface on port 0 gets its TCP listener and its uTP socket
// on one port; on a port whose UDP side is taken it keeps TCP alone and
// says why uTP failed.
func TestListenPair(t *testing.T) {
	l, sock, udpErr, err := listenPair("127.0.0.1:0", socketConfig(settings.Default()))
	if err != nil || udpErr != nil || sock == nil {
		t.Fatalf("port 0: err %v, udp err %v, socket %v", err, udpErr, sock)
	}
	tcpPort := l.Addr().(*net.TCPAddr).Port
	if udpPort := sock.Addr().(*net.UDPAddr).Port; udpPort != tcpPort {
		t.Fatalf("TCP on %d, uTP on %d", tcpPort, udpPort)
	}
	l.Close()
	sock.Close()

	taken, err := net.ListenUDP("udp", &net.UDPAddr{IP: net.IPv4(127, 0, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := strconv.Itoa(taken.LocalAddr().(*net.UDPAddr).Port)
	l, sock, udpErr, err = listenPair(net.JoinHostPort("127.0.0.1", port), socketConfig(settings.Default()))
	if err != nil {
		t.Skipf("the TCP side of port %s is taken too: %v", port, err)
	}
	defer l.Close()
	if sock != nil || udpErr == nil {
		t.Fatalf("UDP port %s taken: socket %v, udp err %v", port, sock, udpErr)
	}
}

// The dial picks the socket of the peer's family.
func TestPickSocket(t *testing.T) {
	v4, err := utp.Listen("udp4", "127.0.0.1:0", utp.SocketConfig{})
	if err != nil {
		t.Fatal(err)
	}
	defer v4.Close()
	socks := []*utp.Socket{v4}
	if pickSocket(socks, netip.MustParseAddrPort("10.0.0.1:1")) != v4 {
		t.Fatal("an IPv4 peer did not get the IPv4 socket")
	}
	if pickSocket(socks, netip.MustParseAddrPort("[2001:db8::1]:1")) != nil {
		t.Fatal("an IPv6 peer got the IPv4 socket")
	}
	if v6, err := utp.Listen("udp6", "[::1]:0", utp.SocketConfig{}); err == nil {
		defer v6.Close()
		socks = append(socks, v6)
		if pickSocket(socks, netip.MustParseAddrPort("[2001:db8::1]:1")) != v6 {
			t.Fatal("an IPv6 peer did not get the IPv6 socket")
		}
	}
	var none utpSockets
	if _, err := none.dial(t.Context(), netip.MustParseAddrPort("10.0.0.1:1")); err != errNoUTPSocket {
		t.Fatalf("no socket: %v", err)
	}
}

// utp_* settings become the connections' Config, in libtorrent's units.
func TestUTPConfigFromSettings(t *testing.T) {
	s, err := settings.Default().With(map[string]any{
		"utp_target_delay": 75, "utp_gain_factor": 1500, "utp_min_timeout": 400, "utp_syn_resends": 4,
		"utp_fin_resends": 3, "utp_num_resends": 5, "utp_connect_timeout": 2000, "utp_delayed_ack": 20,
		"utp_loss_multiplier": 70, "utp_cwnd_reduce_timer": 50,
	})
	if err != nil {
		t.Fatal(err)
	}
	c := utpConfig(s)
	want := utp.DefaultConfig()
	want.TargetDelay, want.GainFactor, want.MinTimeout = 75*time.Millisecond, 1500, 400*time.Millisecond
	want.SynResends, want.FinResends, want.NumResends = 4, 3, 5
	want.ConnectTimeout, want.DelayedAck = 2*time.Second, 20*time.Millisecond
	want.LossMultiplier, want.CwndReduceTimer = 70, 50*time.Millisecond
	want.ReceiveBuffer, want.SendBuffer = utpWindow, utpWindow
	if c != want {
		t.Fatalf("config %+v\nwant %+v", c, want)
	}
	def := utp.DefaultConfig()
	def.ReceiveBuffer, def.SendBuffer = utpWindow, utpWindow
	if utpConfig(settings.Default()) != def {
		t.Fatal("the default settings are not libtorrent's uTP defaults")
	}
}
