package messages

import (
	"fmt"

	"github.com/actorrent/actorrent/internal/portmap"
)

// PortmapAlert: a gateway mapped (or renewed) a port for us
// (libtorrent's portmap_alert). Mapping is the index AddPortMapping
// returned, or the listen port's own; MapType says NAT-PMP (0) or UPnP
// (1).
type PortmapAlert struct {
	AlertHeader
	Mapping      int
	ExternalPort int
	MapType      portmap.Transport
	Protocol     portmap.Protocol
}

// PortmapErrorAlert: a gateway refused a mapping, or none was found
// (libtorrent's portmap_error_alert); it is tried again after a backoff.
type PortmapErrorAlert struct {
	AlertHeader
	Mapping int
	MapType portmap.Transport
	Error   error
}

// PortmapLogAlert: what the port mapper did, for debugging (libtorrent's
// portmap_log_alert): the gateway found, a mapping deleted.
type PortmapLogAlert struct {
	AlertHeader
	MapType portmap.Transport
	Msg     string
}

func (PortmapErrorAlert) Type() int { return 50 }
func (PortmapAlert) Type() int      { return 51 }
func (PortmapLogAlert) Type() int   { return 52 }
func (PortmapErrorAlert) Category() AlertCategory {
	return CategoryPortMapping | CategoryError
}
func (PortmapAlert) Category() AlertCategory    { return CategoryPortMapping }
func (PortmapLogAlert) Category() AlertCategory { return CategoryPortMapping }
func (PortmapErrorAlert) What() string          { return "portmap_error" }
func (PortmapAlert) What() string               { return "portmap" }
func (PortmapLogAlert) What() string            { return "portmap_log" }
func (PortmapErrorAlert) Discardable() bool     { return true }
func (PortmapAlert) Discardable() bool          { return true }
func (PortmapLogAlert) Discardable() bool       { return true }
func (a PortmapErrorAlert) Message() string {
	return fmt.Sprintf("could not map port using %s: %v", a.MapType, a.Error)
}
func (a PortmapAlert) Message() string {
	return fmt.Sprintf("successfully mapped port using %s. external port: %s/%d", a.MapType, a.Protocol, a.ExternalPort)
}
func (a PortmapLogAlert) Message() string {
	return fmt.Sprintf("%s: %s", a.MapType, a.Msg)
}
