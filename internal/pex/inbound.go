package pex

import (
	"net/netip"
	"slices"
	"time"
)

// floodWindow and floodCount: more than floodCount messages within
// floodWindow is a flood (libtorrent keeps the times of the last 6 and
// disconnects with too_frequent_pex when the oldest is under a minute
// old).
const (
	floodWindow = time.Minute
	floodCount  = 6
)

// Inbound is one connection's receiving state (libtorrent's
// ut_pex_peer_plugin): the peers it told us of and not dropped since, at
// most MaxPeers (the setting max_pex_peers), and the times of its last
// messages.
type Inbound struct {
	MaxPeers int
	times    [floodCount]time.Time
	known    []netip.AddrPort // sorted
}

// Receive reads one message from a peer at remote and returns the peers
// it adds that this connection had not told of before: at most MaxPeers
// known at once; local addresses only from a local peer (libtorrent's
// is_local rule), and never the sender itself. An error is a reason to
// disconnect (ErrTooLarge, ErrInvalid, ErrTooFrequent).
func (in *Inbound) Receive(now time.Time, body []byte, remote netip.AddrPort) ([]Peer, error) {
	if len(body) > MaxMessageSize {
		return nil, ErrTooLarge
	}
	if !in.times[0].IsZero() && now.Sub(in.times[0]) < floodWindow {
		return nil, ErrTooFrequent
	}
	copy(in.times[:], in.times[1:])
	in.times[floodCount-1] = now
	m, err := Decode(body)
	if err != nil {
		return nil, err
	}
	for _, ap := range m.Dropped {
		if i, ok := slices.BinarySearchFunc(in.known, ap, netip.AddrPort.Compare); ok {
			in.known = slices.Delete(in.known, i, i+1)
		}
	}
	fromLocal := isLocal(remote.Addr())
	var added []Peer
	for _, p := range m.Added {
		if len(in.known) >= in.MaxPeers {
			break
		}
		if p.Addr == remote || (isLocal(p.Addr.Addr()) && !fromLocal) {
			continue
		}
		i, ok := slices.BinarySearchFunc(in.known, p.Addr, netip.AddrPort.Compare)
		if ok {
			continue
		}
		in.known = slices.Insert(in.known, i, p.Addr)
		added = append(added, p)
	}
	return added, nil
}

// isLocal is libtorrent's is_local: private, loopback and link-local
// addresses.
func isLocal(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast()
}
