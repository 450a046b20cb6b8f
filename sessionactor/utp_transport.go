package sessionactor

import (
	"github.com/actorrent/actorrent/internal/settings"
	"github.com/actorrent/actorrent/internal/stats"
	"github.com/actorrent/actorrent/internal/utp"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/supervisor"
	"github.com/asynkron/protoactor-go/actor"
)

// libtorrent 1.0's socket type numbers (incoming_connection_alert's
// socket_type: socket_type_int_impl): TCP 1, uTP 4.
const (
	socketTypeTCP = 1
	socketTypeUTP = 4
)

// utpTransport is the session's part in uTP, beside TCP: the sockets'
// listeners, which incoming transport is accepted, and the settings the
// sockets follow. A view of the actor (the session's method budget).
type utpTransport struct{ *Actor }

// opened takes a listen interface's new uTP socket: it accepts incoming
// connections as enable_incoming_utp says, peers dial through it, and a
// listener child accepts on it (a view of it: a restarted listener takes
// a new view, the socket and its connections live on).
func (a utpTransport) opened(ctx actor.Context, sock *utp.Socket) {
	sock.SetAcceptIncoming(a.set.Bool(settings.EnableIncomingUTP))
	a.utp.add(sock)
	a.post(ctx, &messages.ListenSucceededAlert{AlertHeader: messages.Now(), Endpoint: sock.Addr().String(), SockType: sockUDP})
	props := newListener(listenerConfig{utp: sock, session: ctx.Self(), alerts: a.alerts, sup: a.cfg.Supervision, counters: a.counters})
	a.listeners = append(a.listeners, ctx.Spawn(a.cfg.Supervision.Configure(supervisor.KindListener, props)))
}

// incomingEnabled: connections of this transport are accepted
// (enable_incoming_utp, enable_incoming_tcp). The uTP socket itself
// refuses SYNs while enable_incoming_utp is off; a connection accepted
// before the setting changed is refused here, as libtorrent's
// incoming_connection does.
func (a utpTransport) incomingEnabled(overUTP bool) bool {
	if overUTP {
		return a.set.Bool(settings.EnableIncomingUTP)
	}
	return a.set.Bool(settings.EnableIncomingTCP)
}

// settingsChanged applies, live, what changed since old: the utp_*
// settings to new connections, enable_incoming_utp to the sockets, and
// rate_limit_utp to the class type filter.
func (a utpTransport) settingsChanged(old *settings.Snapshot) {
	if utpConfig(old) != utpConfig(a.set) {
		c := utpConfig(a.set)
		a.utp.each(func(s *utp.Socket) { s.SetConfig(c) })
	}
	if on := a.set.Bool(settings.EnableIncomingUTP); on != old.Bool(settings.EnableIncomingUTP) {
		a.utp.each(func(s *utp.Socket) { s.SetAcceptIncoming(on) })
	}
}

// fillUTPStats maps the sockets' utp_status onto the utp.* metrics.
func fillUTPStats(v []int64, st messages.UTPStatus) {
	set := map[stats.Index]int64{
		stats.UTPPacketLoss:         int64(st.PacketLoss),
		stats.UTPTimeout:            int64(st.Timeout),
		stats.UTPPacketsIn:          int64(st.PacketsIn),
		stats.UTPPacketsOut:         int64(st.PacketsOut),
		stats.UTPFastRetransmit:     int64(st.FastRetransmit),
		stats.UTPPacketResend:       int64(st.PacketResend),
		stats.UTPSamplesAboveTarget: int64(st.SamplesAboveTarget),
		stats.UTPSamplesBelowTarget: int64(st.SamplesBelowTarget),
		stats.UTPPayloadPktsIn:      int64(st.PayloadPktsIn),
		stats.UTPPayloadPktsOut:     int64(st.PayloadPktsOut),
		stats.UTPInvalidPktsIn:      int64(st.InvalidPktsIn),
		stats.UTPRedundantPktsIn:    int64(st.RedundantPktsIn),
		stats.UTPNumIdle:            int64(st.NumIdle),
		stats.UTPNumSynSent:         int64(st.NumSynSent),
		stats.UTPNumConnected:       int64(st.NumConnected),
		stats.UTPNumFinSent:         int64(st.NumFinSent),
		stats.UTPNumCloseWait:       int64(st.NumCloseWait),
	}
	for i, x := range set {
		v[i] = x
	}
}
