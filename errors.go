package actorrent

import (
	"errors"

	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
)

// Errors returned by the API. Use errors.Is.
var (
	// ErrDuplicateTorrent: the torrent is already in the session and
	// FlagDuplicateIsError was set.
	ErrDuplicateTorrent = messages.ErrDuplicateTorrent
	// ErrInvalidHandle: the handle's torrent is not (or no longer) in the
	// session.
	ErrInvalidHandle = errors.New("actorrent: invalid torrent handle")
	// ErrSessionClosed: the session was closed.
	ErrSessionClosed = errors.New("actorrent: session closed")
	// ErrInvalidTorrentFile: a .torrent file is malformed or hostile.
	ErrInvalidTorrentFile = metainfo.ErrInvalidTorrent
	// ErrTorrentFileTooLarge: a .torrent file is larger than we read.
	ErrTorrentFileTooLarge = metainfo.ErrTooLarge
	// ErrInvalidParams: AddTorrentParams are incomplete or inconsistent.
	ErrInvalidParams = messages.ErrInvalidParams
	// ErrResumeDataNotModified: SaveResumeData with
	// SaveResumeOnlyIfModified found nothing new to save.
	ErrResumeDataNotModified = messages.ErrResumeDataNotModified
	// ErrTorrentChecking: SaveResumeData during a full check of the
	// files (what is had is not known yet).
	ErrTorrentChecking = messages.ErrTorrentChecking
	// ErrTorrentRemoving: the torrent is being removed.
	ErrTorrentRemoving = messages.ErrTorrentRemoving
	// ErrNoMetadata: the request needs the torrent's metadata, which a
	// torrent added from a magnet link is still fetching.
	ErrNoMetadata = messages.ErrNoMetadata
	// ErrMetadataMismatch: metadata from a peer did not hash to the
	// info-hash (metadata_failed, and the peer_error of the liar).
	ErrMetadataMismatch = messages.ErrMetadataMismatch
	// ErrTooManyCorruptPieces: the peer was banned for sending data that
	// failed the hash check (the peer_disconnected error after a
	// peer_ban alert).
	ErrTooManyCorruptPieces = messages.ErrTooManyCorruptPieces
	// ErrInvalidSetting: an unknown setting name or a value of the wrong
	// type.
	ErrInvalidSetting = errors.New("actorrent: invalid setting")
)
