package messages

import (
	"fmt"
	"net/netip"
)

// ExternalIPAlert: the session's view of its external address changed,
// decided from what peers say they see (libtorrent's ip_voter).
type ExternalIPAlert struct {
	AlertHeader
	ExternalAddress netip.Addr
}

func (ExternalIPAlert) Type() int               { return 47 }
func (ExternalIPAlert) Category() AlertCategory { return CategoryStatus }
func (ExternalIPAlert) What() string            { return "external_ip" }
func (ExternalIPAlert) Discardable() bool       { return true }
func (a ExternalIPAlert) Message() string {
	return fmt.Sprintf("external IP received: %s", a.ExternalAddress)
}
