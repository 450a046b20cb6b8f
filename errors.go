package actorrent

import (
	"errors"

	"github.com/actorrent/actorrent/diskactor"
	"github.com/actorrent/actorrent/internal/metainfo"
	"github.com/actorrent/actorrent/messages"
	"github.com/actorrent/actorrent/peeractor"
	"github.com/actorrent/actorrent/torrentactor"
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
	// ErrV2OnlyTorrent: a .torrent file (or metadata) is BitTorrent v2
	// only (BEP 52), which is not supported yet; hybrid v1/v2 torrents
	// load. It wraps ErrInvalidTorrentFile too.
	ErrV2OnlyTorrent = metainfo.ErrV2Only
	// ErrInconsistentFiles: a hybrid torrent's v1 and v2 file lists
	// disagree (libtorrent's torrent_inconsistent_files). It wraps
	// ErrInvalidTorrentFile too.
	ErrInconsistentFiles = metainfo.ErrInconsistentFiles
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
	// ErrInvalidPieceIndex: a piece index out of the torrent's range.
	ErrInvalidPieceIndex = messages.ErrInvalidPieceIndex
	// ErrPieceNotAvailable: a read of a piece not downloaded yet.
	ErrPieceNotAvailable = messages.ErrPieceNotAvailable
	// ErrTorrentStopped: the torrent was removed (or the session closed)
	// while a reader waited for a piece.
	ErrTorrentStopped = messages.ErrTorrentStopped
	// ErrActorFailed: the actor handling the call failed (a panic, or a
	// fault injected by WithFaults) and was resumed by its supervisor;
	// the session goes on, the call may be made again.
	ErrActorFailed = messages.ErrActorFailed
	// ErrTorrentActorFailed: a torrent's actor failed; the torrent is in
	// the error state (torrent_error) until ClearError, which checks its
	// files again and resumes it.
	ErrTorrentActorFailed = torrentactor.ErrTorrentActorFailed
	// ErrPeerActorFailed: a peer's actor (or a goroutine of its
	// connection) failed; the peer was dropped (peer_error) and may be
	// connected to again.
	ErrPeerActorFailed = torrentactor.ErrPeerActorFailed
	// ErrDisplaced: a connection that moved no payload for
	// inactivity_timeout gave its slot to a new one at connections_limit
	// (the peer_disconnected error).
	ErrDisplaced = torrentactor.ErrDisplaced
	// ErrUninteresting: a connection mutually uninterested for
	// inactivity_timeout was closed.
	ErrUninteresting = torrentactor.ErrUninteresting
	// ErrDiskJobFailed: a disk job failed because its worker (or the disk
	// actor) did (file_error); the worker was replaced.
	ErrDiskJobFailed = diskactor.ErrJobFailed
	// ErrConnectionReset: a fault plan reset a peer's connection.
	ErrConnectionReset = peeractor.ErrConnectionReset
	// ErrInvalidSetting: an unknown setting name or a value of the wrong
	// type.
	ErrInvalidSetting = errors.New("actorrent: invalid setting")
)
