package diskactor

import "errors"

var errUnknownTorrent = errors.New("diskactor: torrent not registered")
