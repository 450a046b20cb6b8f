package messages

import "net/netip"

// Messages of peer exchange (BEP 11, ut_pex; internal/pex).

// PeerPEX (peer → torrent): peers a remote told us of that its
// connection had not told before (within its limits: internal/pex.Inbound).
type PeerPEX struct {
	Key   PeerKey
	Added []netip.AddrPort
}

// SendPEX (torrent → peer): send this ut_pex message (bencoded) with the
// remote's id; a remote that does not speak ut_pex gets nothing.
type SendPEX struct {
	Payload []byte
}

// ExternalIPVote (torrent → session): a peer at Source sees us at IP (its
// extension handshake's yourip).
type ExternalIPVote struct {
	IP, Source netip.Addr
}
