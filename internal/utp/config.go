package utp

import "time"

// Config carries libtorrent's uTP settings (by their settings_pack names)
// and the per-socket sizes libtorrent hard-codes. The engine fills it from
// its settings snapshot; DefaultConfig is libtorrent 2.0.8's defaults.
type Config struct {
	TargetDelay     time.Duration // utp_target_delay: LEDBAT's queuing-delay target
	GainFactor      int           // utp_gain_factor: most cwnd grows per RTT, bytes
	MinTimeout      time.Duration // utp_min_timeout: RTO floor
	SynResends      int           // utp_syn_resends: SYN transmissions before giving up
	FinResends      int           // utp_fin_resends: FIN transmissions before giving up
	NumResends      int           // utp_num_resends: data transmissions before giving up
	ConnectTimeout  time.Duration // utp_connect_timeout: first SYN timeout, doubled per retry
	LossMultiplier  int           // utp_loss_multiplier: percent of cwnd kept on loss
	CwndReduceTimer time.Duration // utp_cwnd_reduce_timer: least gap between two loss cuts
	// DelayedAck is utp_delayed_ack: when zero (the default), an ACK owed
	// for received data waits only until the caller's read batch is drained
	// (Conn.Flush), as libtorrent's socket_drained does; otherwise it waits
	// up to this long for data to ride on.
	DelayedAck time.Duration

	// ReceiveBuffer is libtorrent's m_receive_buffer_capacity: the window
	// advertised is this minus what is buffered.
	ReceiveBuffer int
	// SendBuffer bounds the bytes Write accepts that are not yet acked.
	SendBuffer int
	// MTUFloor and MTUCeiling bound path-MTU search, in UDP payload bytes:
	// 576-20-8 and 1500-20-8 (libtorrent's mtu_for_dest for every
	// destination, loopback included). Packets start at the midpoint, 1010.
	MTUFloor, MTUCeiling int
	// Nagle holds a partial packet while another partial one is unacked.
	Nagle bool
	// KeepAlive is how long a connection with nothing in flight stays quiet
	// before it sends a bare ACK, so NATs keep the mapping (libutp: 29 s).
	KeepAlive time.Duration
	// ZeroWindowTimeout ends a connection (ErrTimedOut) whose peer keeps
	// its receive window shut this long while we have data for it, even
	// though it answers our window probes (0: never). libtorrent leaves
	// such a peer to the BitTorrent inactivity timeout; a Conn gives up by
	// itself so that a stuck peer cannot hold its buffers for ever.
	ZeroWindowTimeout time.Duration
}

// DefaultConfig is libtorrent 2.0.8's defaults.
func DefaultConfig() Config {
	return Config{
		TargetDelay:     100 * time.Millisecond,
		GainFactor:      3000,
		MinTimeout:      500 * time.Millisecond,
		SynResends:      2,
		FinResends:      2,
		NumResends:      3,
		ConnectTimeout:  3000 * time.Millisecond,
		LossMultiplier:  50,
		CwndReduceTimer: 100 * time.Millisecond,
		ReceiveBuffer:   1 << 20,
		SendBuffer:      1 << 20,
		MTUFloor:        576 - 20 - 8,
		MTUCeiling:      1500 - 20 - 8,
		Nagle:           true,
		KeepAlive:       29 * time.Second,

		ZeroWindowTimeout: 2 * time.Minute,
	}
}
