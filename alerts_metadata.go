package actorrent

import "fmt"

// MetadataReceivedAlert: a torrent added from a magnet link (or by
// info-hash) has its metadata, fetched from peers and verified; its
// download starts (libtorrent's metadata_received_alert).
type MetadataReceivedAlert struct{ torrentAlertBase }

// MetadataFailedAlert: metadata fetched from peers did not match the
// info-hash (or was not a valid torrent). The peers that sent it are
// dropped and the fetch goes on from others (metadata_failed_alert).
type MetadataFailedAlert struct {
	torrentAlertBase
	Error error
}

func (MetadataReceivedAlert) Type() int { return 45 }
func (MetadataFailedAlert) Type() int   { return 44 }

func (MetadataReceivedAlert) Category() AlertCategory { return CategoryStatus }
func (MetadataFailedAlert) Category() AlertCategory   { return CategoryError }

func (MetadataReceivedAlert) What() string { return "metadata_received" }
func (MetadataFailedAlert) What() string   { return "metadata_failed" }

func (a MetadataReceivedAlert) Message() string {
	return a.torrentName() + " metadata successfully received"
}
func (a MetadataFailedAlert) Message() string {
	return fmt.Sprintf("%s invalid metadata received: %v", a.torrentName(), a.Error)
}
