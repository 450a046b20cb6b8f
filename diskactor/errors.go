package diskactor

import "errors"

var (
	errUnknownTorrent = errors.New("diskactor: torrent not registered")
	errNoStorage      = errors.New("diskactor: the storage constructor returned no storage")
)
